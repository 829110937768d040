package deploy

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

// fakeELF writes a minimal 64-bit little-endian ELF executable header for
// machine and OS ABI, with a PT_INTERP program header when dynamic (what a
// cgo build has).
func fakeELF(t *testing.T, machine elf.Machine, abi elf.OSABI, dynamic bool) string {
	t.Helper()
	h := elf.Header64{
		Type:      uint16(elf.ET_EXEC),
		Machine:   uint16(machine),
		Version:   uint32(elf.EV_CURRENT),
		Ehsize:    64,
		Phentsize: 56,
	}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS] = byte(elf.ELFCLASS64)
	h.Ident[elf.EI_DATA] = byte(elf.ELFDATA2LSB)
	h.Ident[elf.EI_VERSION] = byte(elf.EV_CURRENT)
	h.Ident[elf.EI_OSABI] = byte(abi)
	var progs []elf.Prog64
	if dynamic {
		h.Phoff, h.Phnum = 64, 1
		progs = append(progs, elf.Prog64{Type: uint32(elf.PT_INTERP)})
	}
	var buf bytes.Buffer
	require.NoError(t, binary.Write(&buf, binary.LittleEndian, h))
	for _, p := range progs {
		require.NoError(t, binary.Write(&buf, binary.LittleEndian, p))
	}
	path := filepath.Join(t.TempDir(), "handler")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o755))
	return path
}

func TestCheckBinary(t *testing.T) {
	macho := filepath.Join(t.TempDir(), "handler")
	require.NoError(t, os.WriteFile(macho, []byte{0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1}, 0o755))
	cases := []struct {
		name string
		file string
		want string // "" = accepted
	}{
		{"static linux/amd64", fakeELF(t, elf.EM_X86_64, elf.ELFOSABI_NONE, false), ""},
		{"linux ABI", fakeELF(t, elf.EM_X86_64, elf.ELFOSABI_LINUX, false), ""},
		{"arm64", fakeELF(t, elf.EM_AARCH64, elf.ELFOSABI_NONE, false), "want linux/amd64"},
		{"freebsd", fakeELF(t, elf.EM_X86_64, elf.ELFOSABI_FREEBSD, false), "want linux/amd64"},
		{"cgo", fakeELF(t, elf.EM_X86_64, elf.ELFOSABI_NONE, true), "build with CGO_ENABLED=0"},
		{"mach-o", macho, "not an ELF executable"},
		{"missing", filepath.Join(t.TempDir(), "nope"), "not an ELF executable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := CheckBinary(c.file)
			if c.want == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
		})
	}
}

func TestBuildWritesTheZipOrNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dist", "app.zip")
	entries, err := Build(loadRepo(t), fakeELF(t, elf.EM_X86_64, elf.ELFOSABI_NONE, false), "", out)
	require.NoError(t, err)
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	files := readZip(t, data)
	assert.Len(t, files, len(entries))
	assert.Contains(t, files, "bin/linux-amd64/vnetdrift")
	assert.NotContains(t, files, BaselineName)

	failures := []struct {
		name     string
		binary   string
		baseline string
		mutate   func(*Project)
		want     string
	}{
		{"arm64 binary", fakeELF(t, elf.EM_AARCH64, elf.ELFOSABI_NONE, false), "", nil, "want linux/amd64"},
		{"missing baseline", fakeELF(t, elf.EM_X86_64, elf.ELFOSABI_NONE, false), "nope.yaml", nil, "baseline: stat nope.yaml"},
		{"invalid host.json", fakeELF(t, elf.EM_X86_64, elf.ELFOSABI_NONE, false), "", func(p *Project) { p.Host.Version = "" }, "host.json: version"},
	}
	for _, c := range failures {
		t.Run(c.name, func(t *testing.T) {
			p := loadRepo(t)
			if c.mutate != nil {
				c.mutate(p)
			}
			dir := t.TempDir()
			_, err := Build(p, c.binary, c.baseline, filepath.Join(dir, "app.zip"))
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			left, err := os.ReadDir(dir)
			require.NoError(t, err)
			assert.Empty(t, left, "a failed build leaves no file behind")
		})
	}
}
