//go:build race

package store

// raceDetector: built with -race, under which the embedded SQLite runs
// about twenty times slower; tests that ask many random questions ask
// fewer, as the run without it asks them all.
const raceDetector = true
