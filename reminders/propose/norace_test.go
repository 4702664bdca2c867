//go:build !race

package propose

const raceEnabled = false
