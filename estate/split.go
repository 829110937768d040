package estate

import (
	"bytes"
	"encoding/json"
)

// quickSplit finds the resource elements of estate input (with
// bytes.TrimSpace applied) without decoding them, for the two common
// top-level shapes: an array of objects, and an object whose elements sit
// under "value" or "data". It reports false for anything else or anything
// unusual (a key with an escape, an "id" key, an element that is not an
// object); splitElements then decides, exactly as Decode does.
//
// Element contents are not validated here: each element is decoded later,
// which validates it. Everything between the elements is checked here, so
// once every element has decoded, the whole input was valid JSON, and
// valid JSON splits where encoding/json would split it.
func quickSplit(b []byte) ([][]byte, bool) {
	if len(b) == 0 {
		return nil, false
	}
	switch b[0] {
	case '[':
		elems, end, ok := splitArray(b, 0)
		return elems, ok && end == len(b)
	case '{':
		return splitEnvelope(b)
	}
	return nil, false
}

// splitArray splits the array of objects that starts at b[i] and returns
// its elements and the index just past its closing bracket.
func splitArray(b []byte, i int) (elems [][]byte, end int, ok bool) {
	elems = [][]byte{}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return elems, i + 1, true
	}
	for i < len(b) && b[i] == '{' {
		end, ok := skipComposite(b, i)
		if !ok {
			return nil, 0, false
		}
		elems = append(elems, b[i:end])
		i = skipSpace(b, end)
		if i >= len(b) {
			break
		}
		if b[i] == ']' {
			return elems, i + 1, true
		}
		if b[i] != ',' {
			break
		}
		i = skipSpace(b, i+1)
	}
	return nil, 0, false
}

// splitEnvelope splits {"value":[…]} and {"data":[…]}. Keys are matched
// as encoding/json matches struct fields (case-insensitively, the last
// one winning), and "value": null counts as absent, as in splitElements.
// Every value other than the one split is validated.
func splitEnvelope(b []byte) ([][]byte, bool) {
	var value, data []byte
	var others [][]byte
	i := skipSpace(b, 1)
	for {
		key, v, next, ok := member(b, i)
		if !ok {
			return nil, false
		}
		switch {
		case bytes.EqualFold(key, []byte("id")):
			return nil, false // a single resource, or an error: splitElements decides
		case bytes.EqualFold(key, []byte("value")):
			if v[0] != '[' && string(v) != "null" {
				return nil, false
			}
			others = append(others, value)
			if value = v; v[0] == 'n' {
				value = nil
			}
		case bytes.EqualFold(key, []byte("data")):
			others = append(others, data)
			data = v
		default:
			others = append(others, v)
		}
		if i = skipSpace(b, next); i >= len(b) {
			return nil, false
		}
		if b[i] == '}' {
			break
		}
		if b[i] != ',' {
			return nil, false
		}
		i = skipSpace(b, i+1)
	}
	if i+1 != len(b) {
		return nil, false
	}
	chosen := value
	if chosen == nil {
		if len(data) == 0 || data[0] != '[' {
			return nil, false
		}
		chosen, data = data, nil
	}
	others = append(others, data)
	for _, o := range others {
		if o != nil && !json.Valid(o) {
			return nil, false
		}
	}
	elems, end, ok := splitArray(chosen, 0)
	return elems, ok && end == len(chosen)
}

// member reads `"key": value` at b[i]. Keys with escapes, control or
// non-ASCII characters are refused, to keep key matching trivial.
func member(b []byte, i int) (key, value []byte, next int, ok bool) {
	if i >= len(b) || b[i] != '"' {
		return nil, nil, 0, false
	}
	j := i + 1
	for j < len(b) && b[j] != '"' {
		if c := b[j]; c < 0x20 || c >= 0x7f || c == '\\' {
			return nil, nil, 0, false
		}
		j++
	}
	if j >= len(b) {
		return nil, nil, 0, false
	}
	key = b[i+1 : j]
	j = skipSpace(b, j+1)
	if j >= len(b) || b[j] != ':' {
		return nil, nil, 0, false
	}
	j = skipSpace(b, j+1)
	end, ok := skipValue(b, j)
	if !ok {
		return nil, nil, 0, false
	}
	return key, b[j:end], end, true
}

// skipValue returns the index just past the JSON value at b[i]. Scalars
// are taken up to the next delimiter, unchecked.
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '{', '[':
		return skipComposite(b, i)
	case '"':
		return skipString(b, i)
	}
	j := i
	for j < len(b) && !isSpace(b[j]) && b[j] != ',' && b[j] != '}' && b[j] != ']' {
		j++
	}
	return j, j > i
}

// skipComposite returns the index just past the object or array at b[i],
// counting brackets outside strings.
func skipComposite(b []byte, i int) (int, bool) {
	depth := 0
	for i < len(b) {
		switch b[i] {
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1, true
			}
		case '"':
			end, ok := skipString(b, i)
			if !ok {
				return 0, false
			}
			i = end
			continue
		}
		i++
	}
	return 0, false
}

// skipString returns the index just past the string at b[i].
func skipString(b []byte, i int) (int, bool) {
	j := i + 1
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, false
		}
		j += k
		backslashes := 0
		for m := j - 1; m > i && b[m] == '\\'; m-- {
			backslashes++
		}
		if backslashes%2 == 0 {
			return j + 1, true
		}
		j++
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
