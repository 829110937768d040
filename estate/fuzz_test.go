package estate

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the estate loader: it must return an
// estate or an error, never panic.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob("../../shared/data/arm-examples/*.json")
	seeds = append(seeds, exampleEstate, "testdata/az-cli-vnet-list.json")
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"data":[{"id":"/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v","type":"microsoft.network/virtualnetworks","properties":{}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Decode("fuzz.json", data)
		if err != nil {
			return
		}
		_, _ = Build(res)
	})
}
