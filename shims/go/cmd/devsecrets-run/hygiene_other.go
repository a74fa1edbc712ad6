//go:build !linux

// Where there is no prctl, the launcher relies on the system's core-dump settings (docs/security.md, known gaps).
// Rule: the same call as hygiene_linux.go, doing nothing.

package main

func holdValuesPrivately() {}
