//go:build race

package bot

// raceDetector: built with -race, which slows the embedded SQLite's
// code several times over.
const raceDetector = true
