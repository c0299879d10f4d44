// Package main of a worker whose entry point was renamed by mistake: it has no func main,
// so `go build` fails only at link time ("function main is undeclared in the main package").
package main

import "fmt"

// func main() { run() }  <- the old entry point, commented out

func run() {
	fmt.Println("working")
}

var _ = run
