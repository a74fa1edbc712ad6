// The launcher's test binary can also be an impostor listener (internal/impostor) for socket_check_test.go.

package main

import (
	"os"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/impostor"
)

func TestMain(m *testing.M) {
	impostor.MainIfAsked()
	os.Exit(m.Run())
}
