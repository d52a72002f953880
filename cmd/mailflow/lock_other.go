//go:build !unix

package main

// lockDataDir is a no-op where flock(2) is missing.
func lockDataDir(string) (func(), error) { return func() {}, nil }
