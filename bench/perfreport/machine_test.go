package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCPUModel(t *testing.T) {
	assert.Equal(t, "AMD EPYC 7B13", cpuModel(strings.NewReader("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nmodel name\t: other\n")))
	assert.Equal(t, "unknown", cpuModel(strings.NewReader("processor\t: 0\n")))
}

func TestMemTotal(t *testing.T) {
	assert.InDelta(t, 24.0, memTotalGiB(strings.NewReader("MemTotal:       25165824 kB\nMemFree: 1 kB\n")), 1e-9)
	assert.Zero(t, memTotalGiB(strings.NewReader("MemFree: 1 kB\n")))
}
