package main

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDemoServe plays a short demo with --serve and opens its dashboard
// as a desktop browser would: the demo page signs a login for one of the
// scenario's people, and the app's API answers them; Ctrl-C stops it.
func TestDemoServe(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, caxbotBinary(t), "demo", "--to", "2020-03-02", "--out", t.TempDir(), "--serve", "--serve-addr", "127.0.0.1:0")
	cmd.Env = binEnv(nil)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var demoURL string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), "http://"); ok {
			demoURL = "http://" + strings.Fields(rest)[0]
			break
		}
	}
	if demoURL == "" {
		t.Fatal("the demo printed no address")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page, err := http.Get(demoURL)
	if err != nil {
		t.Fatal(err)
	}
	page.Body.Close()
	if page.StatusCode != http.StatusOK {
		t.Fatalf("demo page: %d", page.StatusCode)
	}
	res, err := noRedirect.Get(demoURL + "/open?as=1001")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc := res.Header.Get("Location")
	_, frag, _ := strings.Cut(loc, "#")
	launch, err := url.ParseQuery(frag)
	if res.StatusCode != http.StatusFound || err != nil || launch.Get("tgWebAppData") == "" {
		t.Fatalf("open: %d %q", res.StatusCode, loc)
	}
	base := strings.TrimSuffix(demoURL, "demo")
	req, err := http.NewRequest("GET", base+"api/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "tma "+launch.Get("tgWebAppData"))
	me, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var who struct{ Name, Role, ScopeName string }
	if err := json.NewDecoder(me.Body).Decode(&who); err != nil {
		t.Fatal(err)
	}
	me.Body.Close()
	if me.StatusCode != http.StatusOK || who.Role != "province" || who.ScopeName != "Toàn tỉnh Hòa Bình" {
		t.Errorf("me: %d %+v", me.StatusCode, who)
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("after Ctrl-C: %v", err)
	}
}
