// Command loadprobe is, for tests, an app that calls devsecrets.Load() as a Go program would: it prints the variable
// named by its first argument, or the error's code, message and hint on stderr with exit 1.
// Rule: test tooling only (test/security/impostor-socket.test.ts builds it); it prints a value only when asked by name.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	devsecrets "github.com/devsecrets/devsecrets/shims/go"
)

func main() {
	if err := devsecrets.Load(context.Background()); err != nil {
		var failure *devsecrets.Error
		if errors.As(err, &failure) {
			fmt.Fprintf(os.Stderr, "devsecrets: error %s: %s\ndevsecrets: hint: %s\n", failure.Code, failure.Message, failure.Hint)
		} else {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}
	if len(os.Args) > 1 {
		fmt.Println(os.Getenv(os.Args[1]))
	}
}
