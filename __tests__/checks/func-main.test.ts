import { describe, expect, it } from '@jest/globals';
import { buildConstraint, cgoPkgConfigLine, goTokens, hasFuncMain, importSpecs, importsC, packageClause } from '../../src/checks/internal/func-main.js';
import { evalBuildExpr, fileNameMatches, splitQuoted } from '../../src/checks/internal/go-list.js';

describe('hasFuncMain', () => {
  it('finds a plain func main', () => {
    expect(hasFuncMain('package main\n\nfunc main() {}\n')).toBe(true);
    expect(hasFuncMain('package main\nfunc   main  (\n) {\n}')).toBe(true);
    expect(hasFuncMain('package main\nfunc /* odd */ main /* but legal */ () {}')).toBe(true);
  });

  it('ignores func main in comments, strings, raw strings and runes', () => {
    const src = [
      'package main',
      '// func main() {}',
      '/* func main() {',
      '}',
      '*/',
      'var a = "func main() {}"',
      'var b = "escaped \\" func main() {}"',
      'var c = `raw',
      'func main() {}',
      '`',
      "var d = '\"'",
      'var e = "unterminated quote \' func main() {}"',
      "var f = '\\''",
      '',
    ].join('\n');
    expect(hasFuncMain(src)).toBe(false);
  });

  it('does not count methods, generics, nested functions or other names', () => {
    expect(hasFuncMain('package main\ntype T struct{}\nfunc (t T) main() {}\n')).toBe(false);
    expect(hasFuncMain('package main\nfunc main[T any]() {}\n')).toBe(false);
    expect(hasFuncMain('package main\nfunc mainly() {}\nfunc Main() {}\n')).toBe(false);
    expect(hasFuncMain('package main\nfunc run() {\n\tf := func() {}\n\t_ = f\n}\nvar main = func() {}\n')).toBe(false);
  });

  it('finds func main after a tricky prelude', () => {
    const src = 'package main\n\nimport "fmt"\n\nvar s = "}"\nvar r = \'{\'\n/* { */\nfunc main() { fmt.Println(s, r) }\n';
    expect(hasFuncMain(src)).toBe(true);
  });
});

describe('tokens and clauses', () => {
  it('gives 1-based positions across block comments and raw strings', () => {
    const toks = [...goTokens('/* a\nb */ package p\nvar x = `1\n2` + y')];
    expect(toks[0]).toMatchObject({ text: 'package', line: 2, column: 6 });
    const y = toks.find((t) => t.text === 'y');
    expect(y).toMatchObject({ line: 4, column: 6 });
  });

  it('reads the package clause after comments', () => {
    expect(packageClause('// Copyright\n\n//go:build linux\n\npackage main // x\n')).toEqual({ name: 'main', line: 5, column: 1 });
    expect(packageClause('var x = 1')).toBeUndefined();
  });

  it('lists imports of both forms with positions', () => {
    const src = 'package a\n\nimport "fmt"\nimport (\n\t_ "example.com/x"\n\tfoo "example.com/y" // c\n\t. "example.com/z"\n\t"C"\n)\n; import `example.com/raw`\nfunc f() { import_ := "example.com/no" }\n';
    expect(importSpecs(src)).toEqual([
      { path: 'fmt', name: undefined, line: 3, column: 8 },
      { path: 'example.com/x', name: '_', line: 5, column: 4 },
      { path: 'example.com/y', name: 'foo', line: 6, column: 6 },
      { path: 'example.com/z', name: '.', line: 7, column: 4 },
      { path: 'C', name: undefined, line: 8, column: 2 },
      { path: 'example.com/raw', name: undefined, line: 10, column: 10 },
    ]);
    expect(importsC(src)).toBe(true);
    expect(importsC('package a\n// import "C"\nvar s = `import "C"`\n')).toBe(false);
  });

  it('finds the #cgo pkg-config line', () => {
    const src = 'package a\n\n/*\n#cgo CFLAGS: -O2\n#cgo linux pkg-config: libfoo  libbar\n*/\nimport "C"\n';
    expect(cgoPkgConfigLine(src, 'libbar')).toEqual({ line: 5, column: 1 });
    expect(cgoPkgConfigLine(src, 'libfo')).toBeUndefined();
    expect(cgoPkgConfigLine('package a\n// #cgo pkg-config: x\nimport "C"\n', 'x')).toEqual({ line: 2, column: 4 });
  });
});

describe('build constraints', () => {
  it('reads //go:build before the package clause only', () => {
    expect(buildConstraint('// Copyright\n\n//go:build linux && cgo\n\npackage a\n')).toBe('linux && cgo');
    expect(buildConstraint('package a\n//go:build linux\n')).toBeUndefined();
    expect(buildConstraint('/* x\n*/\n// +build linux,386 darwin\n// +build cgo\n\npackage a')).toBe('((linux && 386) || (darwin)) && ((cgo))');
  });

  it('evaluates expressions', () => {
    const tags = new Set(['linux', 'amd64', 'unix', 'cgo']);
    expect(evalBuildExpr('linux && cgo', tags)).toBe(true);
    expect(evalBuildExpr('!cgo', tags)).toBe(false);
    expect(evalBuildExpr('(windows || darwin) && !ignore', tags)).toBe(false);
    expect(evalBuildExpr('unix && !(windows || plan9)', tags)).toBe(true);
    expect(evalBuildExpr('linux &&', tags)).toBe(false);
  });

  it('matches _goos/_goarch file names like go/build', () => {
    const linux = new Set(['linux', 'amd64']);
    expect(fileNameMatches('x_windows.go', linux)).toBe(false);
    expect(fileNameMatches('x_linux.go', linux)).toBe(true);
    expect(fileNameMatches('x_linux_arm64.go', linux)).toBe(false);
    expect(fileNameMatches('x_amd64_test.go', linux)).toBe(true);
    expect(fileNameMatches('windows.go', linux)).toBe(true);
    expect(fileNameMatches('my_helper.go', linux)).toBe(true);
  });

  it('splits CC like go (quoted fields, no escapes)', () => {
    expect(splitQuoted('zig cc -target aarch64-linux-gnu')).toEqual(['zig', 'cc', '-target', 'aarch64-linux-gnu']);
    expect(splitQuoted(` "/opt/my cc/bin/gcc" '-I/a b'  -O2 `)).toEqual(['/opt/my cc/bin/gcc', '-I/a b', '-O2']);
  });
});
