// Package native needs cgo: with CGO_ENABLED=0 (the default when cross compiling) no file of it
// builds, and packages that import it fail for that target.
package native

// #include <unistd.h>
import "C"

// PID returns the process id through libc.
func PID() int { return int(C.getpid()) }
