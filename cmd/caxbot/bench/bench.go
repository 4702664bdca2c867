// Package bench holds caxbot's benchmarks on the national roster: the load
// benchmark of the webhook against go-telegram/bot's floor (Load), and the
// national jobs benchmark of the scheduled jobs and the commands that read
// the whole store (Jobs). `caxbot bench` wires them; they print figures
// and assert nothing.
//
// Each run works in a store and a shared state of its own (a fresh
// Postgres schema or a temporary SQLite file, a Redis key prefix or
// in-process memory) and removes them at the end.
package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/caxbot/caxbot/locales"
	"github.com/caxbot/caxbot/store"
	"github.com/caxbot/caxbot/store/state"
)

// Env is what the benchmarks take from the command line: the settings of
// the backends, the plan's province, and where to print.
type Env struct {
	DatabaseURL  string // Postgres; empty: a temporary SQLite file
	RedisURL     string // Redis; empty: in-process state
	ProvinceCode string // province of rosters without province columns
	ProvinceName string
	BotUsername  string
	Catalog      *locales.Catalog
	Printer      *locales.Printer // the language of the figures
	Loc          *time.Location
	Stdout       io.Writer
	Logger       *slog.Logger
}

// benchActor names the benchmarks in reports and the audit.
const benchActor = "bench"

// backend is the store and shared state of one run, and how to measure
// the CPU the servers behind them spend for it.
type backend struct {
	env   Env
	db    *store.DB
	state state.State
	// dbURL is the URL the run's store was opened with (its schema, or
	// its SQLite file).
	dbURL string
	// dataDir is the SQLite file's folder; empty on Postgres.
	dataDir string
	// appName names the run's Postgres connections, to find their
	// backends in pg_stat_activity.
	appName string
	undo    []func()
}

// open opens a store and a shared state of the run's own, so that a run
// neither sees nor leaves anything of a deployment's. close removes them;
// it is safe to call after an error.
func open(ctx context.Context, env Env) (*backend, error) {
	b := &backend{env: env}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	tag := "bench_" + hex.EncodeToString(suffix)

	if env.DatabaseURL == "" {
		dir, err := os.MkdirTemp("", "caxbot-bench-")
		if err != nil {
			return b, fmt.Errorf("bench: temporary directory: %w", err)
		}
		b.undo = append(b.undo, func() { os.RemoveAll(dir) })
		b.dataDir = dir
		b.dbURL = "sqlite:" + filepath.Join(dir, "caxbot.db")
	} else {
		scoped, drop, err := schema(ctx, env.DatabaseURL, tag)
		if err != nil {
			return b, err
		}
		b.undo = append(b.undo, drop)
		b.dbURL, b.appName = scoped, "caxbot-"+tag
	}
	db, err := store.Open(ctx, b.dbURL, env.Logger)
	if err != nil {
		return b, err
	}
	b.db = db
	b.undo = append(b.undo, func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		return b, err
	}
	if env.RedisURL == "" {
		b.state = state.NewMemory(time.Now)
	} else {
		prefix := "caxbot:" + tag + ":"
		r, err := state.OpenRedis(ctx, env.RedisURL, prefix)
		if err != nil {
			return b, err
		}
		b.state = r
		b.undo = append(b.undo, func() { r.Close(); deleteRedisPrefix(env.RedisURL, prefix) })
	}
	if err := db.SavePlan(ctx, store.SeedPlan(env.Loc), benchActor, time.Now()); err != nil {
		return b, err
	}
	return b, nil
}

func (b *backend) close() {
	for i := len(b.undo) - 1; i >= 0; i-- {
		b.undo[i]()
	}
	b.undo = nil
}

// schema creates a schema for the run in the database at base and returns
// a URL whose connections use it and carry an application name of the
// run's own, and a function that drops it.
func schema(ctx context.Context, base, name string) (string, func(), error) {
	admin, err := sql.Open("postgres", base)
	if err != nil {
		return "", nil, fmt.Errorf("bench: open postgres: %w", err)
	}
	defer admin.Close()
	if _, err := admin.ExecContext(ctx, "CREATE SCHEMA "+name); err != nil {
		return "", nil, fmt.Errorf("bench: create schema %s: %w", name, err)
	}
	drop := func() {
		admin, err := sql.Open("postgres", base)
		if err != nil {
			return
		}
		defer admin.Close()
		admin.ExecContext(context.Background(), "DROP SCHEMA "+name+" CASCADE")
	}
	u, err := url.Parse(base)
	if err != nil {
		drop()
		return "", nil, fmt.Errorf("bench: database URL: %w", err)
	}
	q := u.Query()
	q.Set("options", "-csearch_path="+name)
	q.Set("application_name", "caxbot-"+name)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

// deleteRedisPrefix removes the run's keys; they would expire anyway.
func deleteRedisPrefix(rawURL, prefix string) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return
	}
	c := redis.NewClient(opts)
	defer c.Close()
	ctx := context.Background()
	it := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var keys []string
	for it.Next(ctx) {
		keys = append(keys, it.Val())
		if len(keys) == 1000 {
			c.Del(ctx, keys...)
			keys = keys[:0]
		}
	}
	if len(keys) > 0 {
		c.Del(ctx, keys...)
	}
}

// loadRoster imports the national communes file and six posts for each
// commune (a chief, a deputy, four officers) with statuses and holders
// that depend only on the commune's place in the file.
func (b *backend) loadRoster(ctx context.Context, path string, at time.Time) ([]store.CommuneRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bench: roster: %w", err)
	}
	defer f.Close()
	communes, err := store.ParseCommunes(f)
	if err != nil {
		return nil, fmt.Errorf("bench: roster %s: %w", path, err)
	}
	province := store.Province{Code: b.env.ProvinceCode, Name: b.env.ProvinceName}
	if _, err := b.db.ImportCommunes(ctx, communes, province, filepath.Base(path), at); err != nil {
		return nil, err
	}
	statuses := []store.Status{store.Regular, store.Semi, store.Vacant, store.Regular}
	holders := []string{"Nguyễn Văn An", "Bùi Thị Bình", "Đinh Văn Cường", "Hà Thị Dung", "Quách Văn Em"}
	since := time.Date(2019, 7, 1, 0, 0, 0, 0, time.UTC)
	slots := []struct {
		kind store.PostKind
		slot int
	}{{store.Chief, 1}, {store.Deputy, 1}, {store.Officer, 1}, {store.Officer, 2}, {store.Officer, 3}, {store.Officer, 4}}
	posts := make([]store.PostRow, 0, 6*len(communes))
	for i, c := range communes {
		for j, s := range slots {
			po := store.Post{CommuneCode: c.Code, Kind: s.kind, Slot: s.slot, Status: statuses[(i+j)%len(statuses)]}
			if po.Status != store.Vacant {
				po.Holder = holders[(i+j)%len(holders)]
				po.Since = &since
			}
			posts = append(posts, store.PostRow{Line: len(posts) + 2, Post: po})
		}
	}
	if _, err := b.db.ImportPosts(ctx, posts, "bench-posts.csv", at); err != nil {
		return nil, err
	}
	return communes, nil
}

// settle writes out what loading the roster left in Postgres's buffers, so
// that a checkpoint does not fall inside a measurement. CHECKPOINT needs
// a superuser; without one the run is only noisier.
func (b *backend) settle(ctx context.Context) {
	if b.db.Dialect() != store.DialectPostgres {
		return
	}
	admin, err := sql.Open("postgres", b.env.DatabaseURL)
	if err != nil {
		return
	}
	defer admin.Close()
	admin.ExecContext(ctx, "CHECKPOINT")
}

// addUsers writes users straight into the store, a few writers at once:
// one transaction per user is what the store offers.
func (b *backend) addUsers(ctx context.Context, users []store.User, at time.Time) error {
	const writers = 8
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(users); i += writers {
				if err := b.db.AddUser(ctx, users[i], benchActor, at); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// people is the roster's units as the load generator names them.
type places struct {
	districts    []string            // district codes, in file order
	provinces    []string            // province codes, in file order
	districtName map[string]string   // district code → name
	ofDistrict   map[string][]string // district code → its communes' names
	ofProvince   map[string][]string // province code → its districts' names
	provinceOf   map[string]string   // district code → province code
}

func placesOf(communes []store.CommuneRow) places {
	p := places{districtName: map[string]string{}, ofDistrict: map[string][]string{},
		ofProvince: map[string][]string{}, provinceOf: map[string]string{}}
	for _, c := range communes {
		if _, ok := p.districtName[c.DistrictCode]; !ok {
			p.districtName[c.DistrictCode] = c.DistrictName
			p.provinceOf[c.DistrictCode] = c.ProvinceCode
			p.districts = append(p.districts, c.DistrictCode)
			if len(p.ofProvince[c.ProvinceCode]) == 0 {
				p.provinces = append(p.provinces, c.ProvinceCode)
			}
			p.ofProvince[c.ProvinceCode] = append(p.ofProvince[c.ProvinceCode], c.DistrictName)
		}
		p.ofDistrict[c.DistrictCode] = append(p.ofDistrict[c.DistrictCode], c.Name)
	}
	return p
}

// firstUserID is the first Telegram id of the benchmarks' users.
const firstUserID = 1_000_000

// randomUsers makes n users, 70% commune staff, 24% district heads, 6%
// province users, spread over the country by a fixed seed, and the words
// each uses for the places in their scope.
func randomUsers(communes []store.CommuneRow, n int) ([]benchUser, []store.User) {
	pl := placesOf(communes)
	rng := mrand.New(mrand.NewPCG(2020, 6))
	people := make([]benchUser, n)
	add := make([]store.User, n)
	for i := range people {
		u := benchUser{id: int64(firstUserID + i)}
		su := store.User{TelegramID: u.id, Name: "Cán bộ " + strconv.Itoa(i+1)}
		switch k := i % 50; {
		case k < 35:
			c := communes[rng.IntN(len(communes))]
			u.role, u.commune = store.RoleCommune, c.Name
			su.Role, su.Scope = store.RoleCommune, c.Code
		case k < 47:
			d := pl.districts[rng.IntN(len(pl.districts))]
			u.role, u.district, u.places = store.RoleDistrict, pl.districtName[d], pl.ofDistrict[d]
			su.Role, su.Scope = store.RoleDistrict, d
		default:
			pc := pl.provinces[rng.IntN(len(pl.provinces))]
			u.role, u.places = store.RoleProvince, pl.ofProvince[pc]
			su.Role, su.Scope = store.RoleProvince, pc
		}
		people[i], add[i] = u, su
	}
	return people, add
}
