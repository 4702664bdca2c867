package bench

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/caxbot/caxbot/locales"
)

// cpuTime is CPU time spent, by whom: this process (user and system, from
// getrusage), the run's Postgres backends (from /proc), and the Redis
// server (from INFO cpu).
type cpuTime struct {
	process  time.Duration
	postgres time.Duration
	redis    time.Duration
}

func (c cpuTime) total() time.Duration { return c.process + c.postgres + c.redis }

func (c cpuTime) sub(d cpuTime) cpuTime {
	return cpuTime{process: c.process - d.process, postgres: c.postgres - d.postgres, redis: c.redis - d.redis}
}

func (c cpuTime) add(d cpuTime) cpuTime {
	return cpuTime{process: c.process + d.process, postgres: c.postgres + d.postgres, redis: c.redis + d.redis}
}

// processCPU is the CPU time this process has used, user and system, as
// the kernel accounts it: steadier than wall time on a shared machine.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter reads the CPU time of this process and of the servers the run
// talks to. A server it cannot read (Postgres on another machine, no
// /proc) counts as zero, and known says which were read.
type cpuMeter struct {
	pg      *sql.DB // an administrative connection, to list the run's backends
	appName string
	redis   *redis.Client
	known   struct{ postgres, redis bool }
}

func newCPUMeter(b *backend) *cpuMeter {
	m := &cpuMeter{appName: b.appName}
	if b.env.DatabaseURL != "" {
		if pg, err := sql.Open("postgres", b.env.DatabaseURL); err == nil {
			pg.SetMaxOpenConns(1)
			m.pg = pg
		}
	}
	if b.env.RedisURL != "" {
		if opts, err := redis.ParseURL(b.env.RedisURL); err == nil {
			m.redis = redis.NewClient(opts)
		}
	}
	return m
}

func (m *cpuMeter) close() {
	if m.pg != nil {
		m.pg.Close()
	}
	if m.redis != nil {
		m.redis.Close()
	}
}

// read returns the CPU time used so far.
func (m *cpuMeter) read(ctx context.Context) cpuTime {
	c := cpuTime{process: processCPU()}
	if d, ok := m.postgresCPU(ctx); ok {
		c.postgres, m.known.postgres = d, true
	}
	if d, ok := m.redisCPU(ctx); ok {
		c.redis, m.known.redis = d, true
	}
	return c
}

// postgresCPU sums the CPU time of the Postgres backends serving the
// run's connections (found by their application name), read from /proc:
// this works when Postgres runs on this machine, as in the bench's set-up.
// A backend that ended between two reads takes its last share with it;
// the store's pool keeps its connections, so that is rare.
func (m *cpuMeter) postgresCPU(ctx context.Context) (time.Duration, bool) {
	if m.pg == nil {
		return 0, false
	}
	rows, err := m.pg.QueryContext(ctx, "SELECT pid FROM pg_stat_activity WHERE application_name = $1", m.appName)
	if err != nil {
		return 0, false
	}
	defer rows.Close()
	var total time.Duration
	read := false
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) != nil {
			continue
		}
		if d, ok := procCPU(pid); ok {
			total += d
			read = true
		}
	}
	return total, read && rows.Err() == nil
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// Linux architecture Go supports.
const clockTicks = 100

// procCPU reads a process's user and system time from /proc/PID/stat.
func procCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	// The command name, in parentheses, may hold spaces: fields are
	// counted after its closing parenthesis (state is field 3).
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, true
}

// redisCPU is the Redis server's CPU time from INFO cpu: the whole
// server's, so anything else using that Redis at the same time counts too.
func (m *cpuMeter) redisCPU(ctx context.Context) (time.Duration, bool) {
	if m.redis == nil {
		return 0, false
	}
	info, err := m.redis.Info(ctx, "cpu").Result()
	if err != nil {
		return 0, false
	}
	var total float64
	found := 0
	sc := bufio.NewScanner(strings.NewReader(info))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if !ok || (k != "used_cpu_sys" && k != "used_cpu_user") {
			continue
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return 0, false
		}
		total += f
		found++
	}
	if found != 2 {
		return 0, false
	}
	return time.Duration(total * float64(time.Second)), true
}

// msPer is d per n units in milliseconds, with three decimals in the
// printer's way ("0,151" in Vietnamese).
func msPer(p *locales.Printer, d time.Duration, n int) string {
	if n <= 0 {
		return "–"
	}
	return p.Decimal(float64(d)/float64(time.Millisecond)/float64(n), 3)
}
