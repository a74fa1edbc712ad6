// Package impostor is, for tests, a listener on a daemon's socket path that is not the user's daemon: it binds, becomes
// the uid it is told (so the kernel's peer credentials name that uid), listens, and records how many bytes each
// connection sent it. It runs as a child: the test binary re-executes itself (MainIfAsked in TestMain).
// Rule: it answers nothing and keeps no bytes, only their count; it is stopped by its pid.
package impostor

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// not DEVSECRETS_*: a test marker, not a setting of devsecrets (common/environment.ts lists those)
const marker = "GO_TEST_IMPOSTOR_SOCKET"

// MainIfAsked turns the process into the impostor when the test started it so, and never returns then.
func MainIfAsked() {
	socket := os.Getenv(marker)
	if socket == "" {
		return
	}
	uid, _ := strconv.Atoi(os.Getenv(marker + "_UID"))
	if err := serve(socket, uid, os.Getenv(marker+"_RECORD")); err != nil {
		fmt.Fprintln(os.Stderr, "impostor:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func serve(socket string, uid int, record string) error {
	out, err := os.OpenFile(record, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	fd, err := syscall.Socket(syscall.AF_UNIX, syscall.SOCK_STREAM, 0)
	if err != nil {
		return err
	}
	if err := syscall.Bind(fd, &syscall.SockaddrUnix{Name: socket}); err != nil {
		return fmt.Errorf("bind %s: %w", socket, err)
	}
	// after bind, before listen: Linux takes the listener's credentials at listen()
	if uid != os.Getuid() {
		if err := syscall.Setgroups(nil); err != nil {
			return err
		}
		if err := syscall.Setgid(uid); err != nil {
			return err
		}
		if err := syscall.Setuid(uid); err != nil {
			return err
		}
	}
	if err := syscall.Listen(fd, 16); err != nil {
		return err
	}
	listener, err := net.FileListener(os.NewFile(uintptr(fd), socket))
	if err != nil {
		return err
	}
	fmt.Println("ready")
	for {
		conn, err := listener.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer conn.Close()
			_ = conn.SetReadDeadline(time.Now().Add(3 * time.Second))
			n, _ := io.Copy(io.Discard, conn)
			fmt.Fprintf(out, "%d\n", n)
		}()
	}
}

// Impostor is a running impostor listener.
type Impostor struct {
	record string
	cmd    *exec.Cmd
}

// Start runs an impostor on socket as uid and waits until it listens; the test's cleanup stops it by its pid.
func Start(t *testing.T, socket string, uid int) *Impostor {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	record := fmt.Sprintf("%s/impostor-%d.record", t.TempDir(), time.Now().UnixNano())
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), marker+"="+socket, marker+"_UID="+strconv.Itoa(uid), marker+"_RECORD="+record)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	line, _ := bufio.NewReader(stdout).ReadString('\n')
	if line != "ready\n" {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		t.Fatalf("the impostor did not start on %s as uid %d: %s", socket, uid, stderr.String())
	}
	return &Impostor{record: record, cmd: cmd}
}

// Received waits up to within for at least want connections to end, and returns the bytes each one sent.
func (im *Impostor) Received(want int, within time.Duration) []int {
	deadline := time.Now().Add(within)
	for {
		var counts []int
		raw, _ := os.ReadFile(im.record)
		for _, line := range strings.Fields(string(raw)) {
			n, _ := strconv.Atoi(line)
			counts = append(counts, n)
		}
		if len(counts) >= want || time.Now().After(deadline) {
			return counts
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// RequireRoot fails (never skips) a test that must create files and processes of another uid.
func RequireRoot(t *testing.T) {
	t.Helper()
	if os.Getuid() != 0 {
		t.Fatal("this test runs a listener and folders as another uid (65534): run it as root, as CI does")
	}
}
