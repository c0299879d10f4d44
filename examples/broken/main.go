// Command broken is go-preflight's bundled example: a module with deliberate defects.
package main

import (
	"fmt"

	"example.com/broken/internal/native"
)

func main() {
	fmt.Println("pid via cgo:", native.PID())
}
