//go:build race

package main

// raceDetector: built with -race, which slows the national blind rows
// (a country's roster imported, 130 questions) tenfold.
const raceDetector = true
