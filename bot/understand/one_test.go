package understand

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func TestOne(t *testing.T) {
	g := mustHoaBinh(t)
	if os.Getenv("NAT") != "" {
		g, _ = nationalGazetteer(t)
	}
	now := time.Date(2020, 7, 15, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	for _, s := range strings.Split(os.Getenv("Q"), "|") {
		toks, _ := g.read(s)
		ms := g.findPlaces(toks)
		if os.Getenv("TOKS") != "" {
			for _, tk := range toks {
				fmt.Printf("[%s c=%x m=%d b=%q] ", tk.fold, uint64(tk.cue), tk.mention, tk.brk)
			}
			fmt.Println(len(ms))
		}
		m := Read(s, g, now)
		fmt.Printf("%q greet=%v thanks=%v\n", s, m.Greeting, m.Thanks)
		for _, p := range m.Parts {
			fmt.Println("   ", strings.Join(describe(p, g), " | "))
		}
	}
}

func TestTwo(t *testing.T) {
	g := mustHoaBinh(t)
	toks, _ := g.read("xã Mỵ Hòa")
	ms := g.findPlaces(toks)
	fmt.Printf("%+q\n", ms[0].tones)
	for _, n := range ms[0].names {
		fmt.Printf("%+v %+q\n", g.names[n].place, g.names[n].toned)
	}
}
