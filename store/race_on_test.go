//go:build race

package store

// raceDetector: built with -race, which slows the embedded SQLite's code
// and the tests' own reckoning tenfold.
const raceDetector = true
