//go:build race

package propose

// raceEnabled: the race detector slows the national proposal tenfold; the
// ordinary run checks it.
const raceEnabled = true
