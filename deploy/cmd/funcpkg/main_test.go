package main

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// staticELF writes the header of a static linux/amd64 ELF executable.
func staticELF(t *testing.T) string {
	t.Helper()
	h := elf.Header64{Type: uint16(elf.ET_EXEC), Machine: uint16(elf.EM_X86_64), Version: uint32(elf.EV_CURRENT), Ehsize: 64}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	var buf bytes.Buffer
	require.NoError(t, binary.Write(&buf, binary.LittleEndian, h))
	path := filepath.Join(t.TempDir(), "vnetdrift")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o755))
	return path
}

func TestRun(t *testing.T) {
	notELF := filepath.Join(t.TempDir(), "script")
	require.NoError(t, os.WriteFile(notELF, []byte("#!/bin/sh\n"), 0o755))
	out := filepath.Join(t.TempDir(), "pkg.zip")
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"ok", []string{"-root", "../../..", "-bin", staticELF(t), "-o", out}, 0, "wrote " + out + " (8 entries)", ""},
		{"with baseline", []string{"-root", "../../..", "-bin", staticELF(t), "-baseline", "../../../examples/baseline.yaml", "-o", out}, 0, "-rw-r--r-- baseline.yaml", ""},
		{"no binary", []string{"-root", "../../.."}, 2, "", "usage: funcpkg"},
		{"stray argument", []string{"-bin", "x", "extra"}, 2, "", "usage: funcpkg"},
		{"bad flag", []string{"-nope"}, 2, "", "flag provided but not defined"},
		{"not ELF", []string{"-root", "../../..", "-bin", notELF, "-o", out}, 1, "", "funcpkg: handler binary " + notELF + ": not an ELF executable"},
		{"no project", []string{"-root", t.TempDir(), "-bin", notELF}, 1, "", "host.json"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, &stdout, &stderr)
			assert.Equal(t, c.code, code, "stderr: %s", stderr.String())
			assert.Contains(t, stdout.String(), c.stdout)
			assert.Contains(t, stderr.String(), c.stderr)
		})
	}
}
