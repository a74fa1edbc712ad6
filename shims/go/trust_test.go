// The Go shim in a project the user has not trusted (issue 16): dangerous names never reach the answer, each is
// named by a DS_NAME_WITHHELD notice, and they arrive once the project is trusted (DEVSECRETS_* never).

package devsecrets

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/nodeeval"
	"github.com/devsecrets/devsecrets/shims/go/internal/testworld"
)

func TestAnUntrustedProjectsDangerousNamesAreWithheld(t *testing.T) {
	w := testworld.New(t)
	delete(w.Env, "DEVSECRETS_TRUST_ALL") // this test is about trust: the daemon trusts nothing by itself
	w.Start(t)
	t.Cleanup(func() {
		if err := w.Stop(); err != nil {
			t.Error(err)
		}
	})
	dir := w.Project("go-untrusted", map[string]string{
		"devsecrets.env": "SAFE=kept\nLD_PRELOAD=/tmp/evil.so\nGOFLAGS=-toolexec=/tmp/evil\nDEVSECRETS_SOCKET=/tmp/impostor.sock\n",
	})
	environ := map[string]string{"XDG_RUNTIME_DIR": w.Env["XDG_RUNTIME_DIR"]}
	yes := true
	answer, err := ResolveAnswer(context.Background(), Options{Cwd: dir, Environ: environ, Override: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if len(answer.Variables) != 1 || answer.Variables["SAFE"] != "kept" {
		t.Errorf("an untrusted project's answer should hold SAFE only, got names %v", names(answer.Variables))
	}
	said := ""
	for _, notice := range answer.Notices {
		if notice.Code == "DS_NAME_WITHHELD" {
			said += notice.Message + "\n"
		}
	}
	for _, name := range []string{"LD_PRELOAD", "GOFLAGS", "DEVSECRETS_SOCKET"} {
		if strings.Count(said, name+" (devsecrets.env:") != 1 {
			t.Errorf("%s should be named once in the notices, got:\n%s", name, said)
		}
	}

	trust := exec.Command("node", filepath.Join(nodeeval.RepoRoot, "bin", "devsecrets.js"), "trust", "--yes")
	trust.Dir = dir
	trust.Env = w.Environ(nil)
	if out, err := trust.CombinedOutput(); err != nil {
		t.Fatalf("devsecrets trust --yes: %v: %s", err, out)
	}
	trusted, err := ResolveAnswer(context.Background(), Options{Cwd: dir, Environ: environ, Override: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if trusted.Variables["LD_PRELOAD"] != "/tmp/evil.so" || trusted.Variables["GOFLAGS"] == "" {
		t.Errorf("trusted, the project's names should arrive, got names %v", names(trusted.Variables))
	}
	if _, ok := trusted.Variables["DEVSECRETS_SOCKET"]; ok {
		t.Error("a project never sets DEVSECRETS_*, trusted or not")
	}
}

func names(variables map[string]string) []string {
	out := make([]string, 0, len(variables))
	for name := range variables {
		out = append(out, name)
	}
	return out
}
