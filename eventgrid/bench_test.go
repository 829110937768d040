package eventgrid

import (
	"os"
	"path/filepath"
	"testing"
)

func benchmarkFile(b *testing.B, name string, decode func([]byte) error) {
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := decode(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeBatch(b *testing.B) {
	batch := func(body []byte) error { _, _, err := DecodeBatch(body); return err }
	b.Run("single", func(b *testing.B) {
		benchmarkFile(b, "synthetic_vnet-write_eventgrid-schema_pascalcase-authorization.json", batch)
	})
	b.Run("batch3", func(b *testing.B) { benchmarkFile(b, "synthetic_mixed-batch_eventgrid-schema_array.json", batch) })
}

func BenchmarkDecodeFunctionsInvocation(b *testing.B) {
	inv := func(body []byte) error { _, err := DecodeFunctionsInvocation(body); return err }
	b.Run("object", func(b *testing.B) { benchmarkFile(b, "synthetic_functions-invocation_vnet-write_object.json", inv) })
	b.Run("string", func(b *testing.B) {
		benchmarkFile(b, "synthetic_functions-invocation_peering-write_string-event.json", inv)
	})
}
