package state

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Every script but beginScript touches exactly one key, named in KEYS, so
// they also run on a Redis Cluster; beginScript names its up to three keys
// in KEYS too, but on a Cluster they would need one hash slot. Times inside scripts come from the server's
// TIME (Redis 5 or newer replicates script effects, which allows it), so
// replicas with skewed clocks agree.

// swapScript: ARGV[1] is "1" when prev must be present and equal ARGV[2],
// "0" when the key must be absent; ARGV[3] is next, ARGV[4] its TTL in ms.
var swapScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '0' then
  if cur then return 0 end
elseif cur ~= ARGV[2] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
return 1
`)

// renewScript: ARGV[1] is the holder, ARGV[2] the new TTL in ms.
var renewScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`)

// releaseScript: ARGV[1] is the holder.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`)

// takeScript keeps a token bucket in a hash {tokens, ts}, ts in server
// microseconds; ARGV[1] is the rate in tokens per second, ARGV[2] the
// burst. It returns {1, 0} when a token was taken, else {0, wait in µs}.
// The key expires when the bucket would be full again, since a full
// bucket and an absent one are the same. Numbers are written with
// string.format because Lua's tostring keeps only 14 digits.
var takeScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(saved[1])
local ts = tonumber(saved[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
if now > ts then
  tokens = tokens + (now - ts) * rate / 1000000
  ts = now
end
if tokens > burst then tokens = burst end
local ok = 0
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
else
  -- One microsecond more absorbs float rounding, so that a caller who
  -- waits exactly wait finds a whole token.
  wait = math.ceil((1 - tokens) * 1000000 / rate) + 1
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.17g', tokens), 'ts', string.format('%.0f', ts))
redis.call('PEXPIRE', KEYS[1], string.format('%.0f', math.ceil((burst - tokens) * 1000 / rate)))
return {ok, wait}
`)

// floodScript keeps the server times (µs) of a user's allowed events in a
// list, oldest first; ARGV[1] is the limit, ARGV[2] the window in µs,
// ARGV[3] the window in ms for the key's expiry.
var floodScript = redis.NewScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local start = now - tonumber(ARGV[2])
while true do
  local head = redis.call('LINDEX', KEYS[1], 0)
  if not head or tonumber(head) > start then break end
  redis.call('LPOP', KEYS[1])
end
if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('RPUSH', KEYS[1], string.format('%.0f', now))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`)

// beginScript is State.Begin: ARGV[1], ARGV[2] and ARGV[3] are "1" when
// the claim, the flood and the conversation steps are wanted, and their
// keys come in KEYS in that order; ARGV[4] is the claim's TTL in ms, then
// the flood limit, window in µs and window in ms, as floodScript. It
// returns {claimed, allowed, found, data}.
var beginScript = redis.NewScript(`
local k = 1
if ARGV[1] == '1' then
  if redis.call('SET', KEYS[k], '1', 'NX', 'PX', ARGV[4]) == false then
    return {0, 0, 0, redis.call('GET', KEYS[k]) or ''}
  end
  k = k + 1
end
if ARGV[2] == '1' then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local start = now - tonumber(ARGV[6])
  while true do
    local head = redis.call('LINDEX', KEYS[k], 0)
    if not head or tonumber(head) > start then break end
    redis.call('LPOP', KEYS[k])
  end
  if redis.call('LLEN', KEYS[k]) >= tonumber(ARGV[5]) then
    return {1, 0, 0, ''}
  end
  redis.call('RPUSH', KEYS[k], string.format('%.0f', now))
  redis.call('PEXPIRE', KEYS[k], ARGV[7])
  k = k + 1
end
if ARGV[3] == '1' then
  local data = redis.call('GET', KEYS[k])
  if data then return {1, 1, 1, data} end
end
return {1, 1, 0, ''}
`)

// Redis is the State shared by several replicas through one Redis server.
// Its calls go through a pipeline: those made at once share a round trip.
type Redis struct {
	client *redis.Client
	pipe   *pipeline
	prefix string
}

var _ State = (*Redis)(nil)

// NewRedis returns a State that keeps its keys in client under prefix
// (e.g. "caxbot:"), so that several deployments can share a server. It
// takes ownership of client: Close closes it.
func NewRedis(client *redis.Client, prefix string) *Redis {
	return &Redis{client: client, pipe: newPipeline(client), prefix: prefix}
}

// OpenRedis connects to the Redis server at rawURL
// (redis://[user:password@]host:port/db) and checks that it answers.
func OpenRedis(ctx context.Context, rawURL, prefix string) (*Redis, error) {
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		// url.Error repeats the whole URL, password included.
		var urlErr *url.Error
		if errors.As(err, &urlErr) {
			err = urlErr.Err
		}
		return nil, fmt.Errorf("state: parse redis URL: %w", err)
	}
	// Without this, go-redis ignores a call's deadline and waits up to its
	// own read timeout on a stalled connection; every caller passes one.
	opts.ContextTimeoutEnabled = true
	client := redis.NewClient(opts)
	if err := client.Ping(ctx).Err(); err != nil {
		_ = client.Close()
		return nil, fmt.Errorf("state: ping redis at %s (db %d): %w", opts.Addr, opts.DB, err)
	}
	return NewRedis(client, prefix), nil
}

func (r *Redis) key(kind, name string) string {
	return r.prefix + kind + ":" + name
}

// millis rounds ttl up to whole milliseconds, the precision of PX.
func millis(ttl time.Duration) int64 {
	return int64((ttl + time.Millisecond - 1) / time.Millisecond)
}

// GetConversation implements State.
// do runs one command in the pipeline's next round trip.
func (r *Redis) do(ctx context.Context, args ...any) (*redis.Cmd, error) {
	return r.pipe.do(ctx, &call{cmd: redis.NewCmd(ctx, args...)})
}

// run runs a script by its hash in the pipeline's next round trip, and by
// its text when the server does not know the hash.
func (r *Redis) run(ctx context.Context, s *redis.Script, keys []string, args ...any) (*redis.Cmd, error) {
	cmdArgs := make([]any, 0, 3+len(keys)+len(args))
	cmdArgs = append(cmdArgs, "evalsha", s.Hash(), len(keys))
	for _, k := range keys {
		cmdArgs = append(cmdArgs, k)
	}
	cmdArgs = append(cmdArgs, args...)
	return r.pipe.do(ctx, &call{cmd: redis.NewCmd(ctx, cmdArgs...), script: s, keys: keys, args: args})
}

// int64Of is the number a script answered.
func int64Of(cmd *redis.Cmd, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return cmd.Int64()
}

// GetConversation implements State.
func (r *Redis) GetConversation(ctx context.Context, key string) ([]byte, bool, error) {
	cmd, err := r.do(ctx, "GET", r.key("conv", key))
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("state: get conversation %q: %w", key, err)
	}
	data, err := cmd.Text()
	if err != nil {
		return nil, false, fmt.Errorf("state: get conversation %q: %w", key, err)
	}
	return []byte(data), true, nil
}

// PutConversation implements State.
func (r *Redis) PutConversation(ctx context.Context, key string, data []byte, ttl time.Duration) error {
	if err := checkTTL(ttl); err != nil {
		return fmt.Errorf("state: put conversation %q: %w", key, err)
	}
	if _, err := r.do(ctx, "SET", r.key("conv", key), data, "PX", millis(ttl)); err != nil {
		return fmt.Errorf("state: put conversation %q: %w", key, err)
	}
	return nil
}

// SwapConversation implements State.
func (r *Redis) SwapConversation(ctx context.Context, key string, prev, next []byte, ttl time.Duration) (bool, error) {
	if err := checkTTL(ttl); err != nil {
		return false, fmt.Errorf("state: swap conversation %q: %w", key, err)
	}
	mustExist := "0"
	if prev != nil {
		mustExist = "1"
	}
	n, err := int64Of(r.run(ctx, swapScript, []string{r.key("conv", key)},
		mustExist, prev, next, millis(ttl)))
	if err != nil {
		return false, fmt.Errorf("state: swap conversation %q: %w", key, err)
	}
	return n == 1, nil
}

// DeleteConversation implements State.
func (r *Redis) DeleteConversation(ctx context.Context, key string) error {
	if _, err := r.do(ctx, "DEL", r.key("conv", key)); err != nil {
		return fmt.Errorf("state: delete conversation %q: %w", key, err)
	}
	return nil
}

// setNX is SET key value NX PX ttl, reporting whether the key was set.
func (r *Redis) setNX(ctx context.Context, key, value string, ttl time.Duration) (bool, error) {
	_, err := r.do(ctx, "SET", key, value, "NX", "PX", millis(ttl))
	if errors.Is(err, redis.Nil) {
		return false, nil
	}
	return err == nil, err
}

// AcquireLease implements State.
func (r *Redis) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if err := checkTTL(ttl); err != nil {
		return false, fmt.Errorf("state: acquire lease %q: %w", name, err)
	}
	ok, err := r.setNX(ctx, r.key("lease", name), holder, ttl)
	if err != nil {
		return false, fmt.Errorf("state: acquire lease %q: %w", name, err)
	}
	return ok, nil
}

// RenewLease implements State.
func (r *Redis) RenewLease(ctx context.Context, name, holder string, ttl time.Duration) (bool, error) {
	if err := checkTTL(ttl); err != nil {
		return false, fmt.Errorf("state: renew lease %q: %w", name, err)
	}
	n, err := int64Of(r.run(ctx, renewScript, []string{r.key("lease", name)}, holder, millis(ttl)))
	if err != nil {
		return false, fmt.Errorf("state: renew lease %q: %w", name, err)
	}
	return n == 1, nil
}

// ReleaseLease implements State.
func (r *Redis) ReleaseLease(ctx context.Context, name, holder string) error {
	n, err := int64Of(r.run(ctx, releaseScript, []string{r.key("lease", name)}, holder))
	if err != nil {
		return fmt.Errorf("state: release lease %q: %w", name, err)
	}
	if n != 1 {
		return fmt.Errorf("state: release lease %q: %w", name, ErrLeaseNotHeld)
	}
	return nil
}

// Take implements State.
func (r *Redis) Take(ctx context.Context, name string, rate float64, burst int) (bool, time.Duration, error) {
	if err := checkBucket(rate, burst); err != nil {
		return false, 0, fmt.Errorf("state: take from bucket %q: %w", name, err)
	}
	cmd, err := r.run(ctx, takeScript, []string{r.key("bucket", name)},
		strconv.FormatFloat(rate, 'g', -1, 64), burst)
	var res []int64
	if err == nil {
		res, err = cmd.Int64Slice()
	}
	if err != nil {
		return false, 0, fmt.Errorf("state: take from bucket %q: %w", name, err)
	}
	if len(res) != 2 {
		return false, 0, fmt.Errorf("state: take from bucket %q: script answered %v, want two numbers", name, res)
	}
	return res[0] == 1, time.Duration(res[1]) * time.Microsecond, nil
}

// Flood implements State.
func (r *Redis) Flood(ctx context.Context, userKey string, limit int, window time.Duration) (bool, error) {
	if err := checkFlood(limit, window); err != nil {
		return false, fmt.Errorf("state: flood %q: %w", userKey, err)
	}
	windowMicros := int64((window + time.Microsecond - 1) / time.Microsecond)
	n, err := int64Of(r.run(ctx, floodScript, []string{r.key("flood", userKey)},
		limit, windowMicros, millis(window)))
	if err != nil {
		return false, fmt.Errorf("state: flood %q: %w", userKey, err)
	}
	return n == 1, nil
}

// Begin implements State.
func (r *Redis) Begin(ctx context.Context, b Begin) (Begun, error) {
	if err := checkBegin(b); err != nil {
		return Begun{}, fmt.Errorf("state: begin %q: %w", b.Conversation, err)
	}
	var keys []string
	want := func(key, kind string) string {
		if key == "" {
			return "0"
		}
		keys = append(keys, r.key(kind, key))
		return "1"
	}
	claim, flood, conv := want(b.Claim, "conv"), want(b.Flood, "flood"), want(b.Conversation, "conv")
	windowMicros := int64((b.FloodWindow + time.Microsecond - 1) / time.Microsecond)
	cmd, err := r.run(ctx, beginScript, keys, claim, flood, conv,
		millis(b.ClaimTTL), b.FloodLimit, windowMicros, millis(b.FloodWindow))
	var res []any
	if err == nil {
		res, err = cmd.Slice()
	}
	if err != nil {
		return Begun{}, fmt.Errorf("state: begin %q: %w", b.Conversation, err)
	}
	if len(res) != 4 {
		return Begun{}, fmt.Errorf("state: begin %q: script answered %v, want four values", b.Conversation, res)
	}
	var out Begun
	flags := []*bool{&out.Claimed, &out.Allowed, &out.Found}
	for i, f := range flags {
		n, ok := res[i].(int64)
		if !ok {
			return Begun{}, fmt.Errorf("state: begin %q: script answered %v, want numbers first", b.Conversation, res)
		}
		*f = n == 1
	}
	if out.Found || !out.Claimed {
		data, ok := res[3].(string)
		if !ok {
			return Begun{}, fmt.Errorf("state: begin %q: script answered %v, want the conversation last", b.Conversation, res)
		}
		if out.Found {
			out.Data = []byte(data)
		} else {
			out.Held = []byte(data)
		}
	}
	return out, nil
}

// Close implements State: it closes the Redis client, once the round
// trips under way have ended.
func (r *Redis) Close() error {
	r.pipe.close()
	if err := r.client.Close(); err != nil {
		return fmt.Errorf("state: close redis: %w", err)
	}
	return nil
}
