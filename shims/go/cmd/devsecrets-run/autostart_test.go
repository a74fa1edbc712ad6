// The launcher's autostart starts the daemon as the Node client does: same start flags, same allow-listed environment.
// Rule: the TypeScript (common/daemon-start-flags.ts, common/daemon-environment.ts) is the reference, read through node.

package main

import (
	"reflect"
	"sort"
	"testing"

	"github.com/devsecrets/devsecrets/shims/go/internal/nodeeval"
)

func TestDaemonStartFlagsAreTheTypeScriptOnes(t *testing.T) {
	var flags []string
	nodeeval.Eval(t, []string{"dist/common/daemon-start-flags.js"},
		`const { DAEMON_START_FLAGS } = await import("./dist/common/daemon-start-flags.js"); process.stdout.write(JSON.stringify(DAEMON_START_FLAGS));`,
		nil, &flags)
	if !reflect.DeepEqual(flags, daemonStartFlags) {
		t.Fatalf("daemonStartFlags %v, common/daemon-start-flags.ts %v", daemonStartFlags, flags)
	}
}

func TestDaemonEnvironmentIsTheTypeScriptAllowList(t *testing.T) {
	environ := []string{
		"PATH=/usr/bin", "HOME=/h", "USER=u", "LOGNAME=u", "LANG=C.UTF-8", "LC_ALL=C", "LC_lower=x", "TZ=UTC",
		"TMPDIR=/t", "XDG_RUNTIME_DIR=/r", "XDG_STATE_HOME=/s", "DBUS_SESSION_BUS_ADDRESS=unix:path=/b",
		"DEVSECRETS_ENV=dev", "DEVSECRETS_PASSPHRASE_FD=3", "VAULT_ADDR=http://127.0.0.1:8200", "BAO_ADDR=x",
		"VAULT_NAMESPACE=n", "VAULT_CACERT=/c", "VAULT_TOKEN=secret", "AWS_SECRET_ACCESS_KEY=secret",
		"NODE_OPTIONS=--inspect", "GITHUB_TOKEN=secret", "PATHX=1", "XPATH=1", "SSH_AUTH_SOCK=/a",
	}
	input := map[string]string{}
	for _, pair := range environ {
		name, value, _ := cut(pair)
		input[name] = value
	}
	var kept map[string]string
	nodeeval.Eval(t, []string{"dist/common/daemon-environment.js"},
		readStdin+`const { daemonEnvironment } = await import("./dist/common/daemon-environment.js"); process.stdout.write(JSON.stringify(daemonEnvironment(input)));`,
		input, &kept)
	var want, got []string
	for name := range kept {
		want = append(want, name)
	}
	for _, pair := range daemonEnvironment(environ) {
		name, _, _ := cut(pair)
		got = append(got, name)
	}
	sort.Strings(want)
	sort.Strings(got)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("daemonEnvironment keeps %v, common/daemon-environment.ts %v", got, want)
	}
	for _, name := range got {
		if name == "VAULT_TOKEN" || name == "GITHUB_TOKEN" || name == "DEVSECRETS_PASSPHRASE_FD" {
			t.Fatalf("%s reached the daemon's environment", name)
		}
	}
}

func cut(pair string) (string, string, bool) {
	for i := 0; i < len(pair); i++ {
		if pair[i] == '=' {
			return pair[:i], pair[i+1:], true
		}
	}
	return pair, "", false
}
