package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// FuzzReadDeadLetters: any input either fails with an error or yields
// events that have an ID and a type, carry no dead-letter property, and
// encode to the JSON body that replay sends.
func FuzzReadDeadLetters(f *testing.F) {
	fixture, err := os.ReadFile(deadLetterFile)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(fixture))
	f.Add(`{"specversion":"1.0","id":"a","type":"t","deadLetterReason":"x"}[{"id":1,"eventType":"e"}]`)
	f.Add(`[]`)
	f.Add(`[{"id":"a"}]`)
	f.Fuzz(func(t *testing.T, input string) {
		events, err := readDeadLetters(&Env{Stdin: strings.NewReader(input)}, "-")
		if err != nil {
			return
		}
		for _, dl := range events {
			if dl.id == "" || dl.kind == "" {
				t.Fatalf("event without id or type: %+v", dl)
			}
			for _, f := range deadLetterFields {
				if _, ok := dl.fields[f]; ok {
					t.Fatalf("dead-letter property %s kept", f)
				}
			}
			body, _, err := dl.body()
			if err != nil || !json.Valid(body) || (!dl.cloudEvent && !bytes.HasPrefix(body, []byte("["))) {
				t.Fatalf("body %q, err %v", body, err)
			}
		}
	})
}
