// compareVersions against daemon/protocol/version.ts's compareVersions, run by node on the same pairs.
// Rule: the launcher falls back to Node exactly when Node's client would restart the daemon.

package main

import "testing"

func TestCompareVersionsAgreesWithTheNodeClient(t *testing.T) {
	pairs := [][2]string{
		{"0.1.0", "0.1.0"}, {"0.1.0", "0.0.1"}, {"0.1.0", "99.0.0"}, {"0.1.0", "0.1"}, {"0.1", "0.1.0"},
		{"1.2.3-beta.1", "1.2.3"}, {"1.10.0", "1.9.9"}, {"", "0.1.0"}, {"0.1.0", ""}, {"1..2", "1.0.2"},
		{"x.y", "0.0"}, {"2.0.0+build.5", "2.0.0"}, {"0.1.0", "0.1.0-rc1"},
	}
	type verdict struct {
		Sign int `json:"sign"`
	}
	var want []verdict
	nodeEval(t, `
		import { compareVersions } from "./dist/daemon/protocol/version.js";
		let d = ""; process.stdin.on("data", (c) => (d += c)).on("end", () => {
			process.stdout.write(JSON.stringify(JSON.parse(d).map(([a, b]) => ({ sign: Math.sign(compareVersions(a, b)) }))));
		});`, pairs, &want)
	for i, p := range pairs {
		got := compareVersions(p[0], p[1])
		sign := 0
		if got > 0 {
			sign = 1
		} else if got < 0 {
			sign = -1
		}
		if sign != want[i].Sign {
			t.Errorf("compareVersions(%q, %q): %d, Node says %d", p[0], p[1], sign, want[i].Sign)
		}
	}
}
