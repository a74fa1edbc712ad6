// The launcher's test binary is also the app of vectors_test.go's runs and an impostor listener (internal/impostor).

package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/impostor"
)

// runChildMarker names the file where the test binary, run as `devsecrets-run run -- <it>`, writes its environment: a
// file, not stdout, which the launcher masks
const runChildMarker = "GO_TEST_RUN_CHILD_OUT" // not DEVSECRETS_*: a test marker, not a setting

func TestMain(m *testing.M) {
	impostor.MainIfAsked()
	if out := os.Getenv(runChildMarker); out != "" {
		environ := map[string]string{}
		for _, pair := range os.Environ() {
			if name, value, ok := strings.Cut(pair, "="); ok {
				environ[name] = value
			}
		}
		raw, _ := json.Marshal(environ)
		if os.WriteFile(out, raw, 0o600) != nil {
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
