package estate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// loadFast is Load without the SDK model types, whose UnmarshalJSON scans
// the bytes of every nesting level again. Each file is split into its
// resource elements by a quick scan (split.go); each element is decoded
// once into the mirror types (mirror.go) with encoding/json and converted,
// on all CPUs; the items are assembled in input order, so the Estate is
// the one Build would make. Elements the mirror types cannot take (the az
// CLI's flattened output, which has no "properties", or JSON that only the
// SDK types accept) go through the SDK types one by one. Errors are not
// worded for users: Load starts over on the SDK path when there is one.
func loadFast(paths []string) (*Estate, error) {
	inputs := make([][]byte, len(paths))
	for i, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		inputs[i] = data
	}
	return decodeFast(inputs...)
}

// decodeFast is loadFast on estate inputs already read.
func decodeFast(inputs ...[]byte) (*Estate, error) {
	var elems [][]byte
	for i, data := range inputs {
		es, err := elementsOf(data)
		if err != nil {
			return nil, fmt.Errorf("input %d: %w", i, err)
		}
		elems = append(elems, es...)
	}
	items, err := convertAll(elems)
	if err != nil {
		return nil, err
	}
	return assemble(items, nil), nil
}

// elementsOf returns the resource elements of estate input, as
// splitElements does, but without decoding them when it can.
func elementsOf(data []byte) ([][]byte, error) {
	if elems, ok := quickSplit(bytes.TrimSpace(data)); ok {
		return elems, nil
	}
	raw, err := splitElements(data)
	if err != nil {
		return nil, err
	}
	elems := make([][]byte, len(raw))
	for i, r := range raw {
		elems[i] = r
	}
	return elems, nil
}

// minPerWorker keeps small inputs on one goroutine.
const minPerWorker = 64

// convertAll converts elements on up to GOMAXPROCS goroutines; items[i]
// is elems[i]. It stops at the first element that fails.
func convertAll(elems [][]byte) ([]item, error) {
	items := make([]item, len(elems))
	workers := min(runtime.GOMAXPROCS(0), len(elems)/minPerWorker+1)
	var (
		next   atomic.Int64
		failed atomic.Bool
		once   sync.Once
		first  error
		wg     sync.WaitGroup
	)
	for range workers {
		wg.Go(func() {
			for !failed.Load() {
				i := int(next.Add(1) - 1)
				if i >= len(elems) {
					return
				}
				it, err := convertElement(elems[i])
				if err != nil {
					once.Do(func() { first = fmt.Errorf("element %d: %w", i, err) })
					failed.Store(true)
					return
				}
				items[i] = it
			}
		})
	}
	wg.Wait()
	return items, first
}

// convertElement decodes and converts one element.
func convertElement(raw []byte) (item, error) {
	var r resource
	if err := json.Unmarshal(raw, &r); err != nil || r.Properties == nil || strings.TrimSpace(r.ID) == "" {
		return convertViaSDK(raw)
	}
	typ := r.Type
	if typ == "" {
		typ = TypeFromID(r.ID)
	}
	k := kindOf(typ)
	if k == kindSkipped {
		return item{kind: kindSkipped, skipped: skippedName(typ)}, nil
	}
	return convert(k, &r)
}

// convertViaSDK converts one element as Decode and Build do.
func convertViaSDK(raw []byte) (item, error) {
	res := &Resources{Skipped: map[string]int{}}
	if err := res.add(raw); err != nil {
		return item{}, err
	}
	for t := range res.Skipped { // the element's type is not modelled
		return item{kind: kindSkipped, skipped: t}, nil
	}
	items, err := itemsOf(res)
	if err != nil {
		return item{}, err
	}
	return items[0], nil
}

// skippedName is the name under which elements of an unmodelled type are
// counted in Skipped.
func skippedName(typ string) string {
	if typ == "" {
		return "(unknown)"
	}
	return typ
}
