package opa

import (
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/util"
)

//go:embed policy/*.rego
var policies embed.FS

// Query is the Rego query both the benchmark and the tests evaluate.
const Query = "data.azure.network.violations"

// Violation is one element of the violations set: the rule (vnetdrift's
// rule ID), the resource and the VNet it belongs to. Rule-specific detail
// (overlapping prefixes, differing fields) is left in the result.
type Violation struct {
	Rule     string `json:"rule"`
	Resource string `json:"resource"`
	VNet     string `json:"vnet"`
}

// Prepare parses and compiles policy/*.rego and prepares Query, once.
func Prepare(ctx context.Context) (rego.PreparedEvalQuery, error) {
	opts := []func(*rego.Rego){rego.Query(Query), rego.SetRegoVersion(ast.RegoV1), rego.StrictBuiltinErrors(true)}
	files, err := policyFiles()
	if err != nil {
		return rego.PreparedEvalQuery{}, err
	}
	for _, f := range files {
		src, err := policies.ReadFile(f)
		if err != nil {
			return rego.PreparedEvalQuery{}, fmt.Errorf("reading %s: %w", f, err)
		}
		opts = append(opts, rego.Module(path.Base(f), string(src)))
	}
	pq, err := rego.New(opts...).PrepareForEval(ctx)
	if err != nil {
		return rego.PreparedEvalQuery{}, fmt.Errorf("preparing %s: %w", Query, err)
	}
	return pq, nil
}

// policyFiles lists the embedded policy files, leaving out Rego tests.
func policyFiles() ([]string, error) {
	all, err := fs.Glob(policies, "policy/*.rego")
	if err != nil {
		return nil, fmt.Errorf("listing policy files: %w", err)
	}
	var out []string
	for _, f := range all {
		if !strings.HasSuffix(f, "_test.rego") {
			out = append(out, f)
		}
	}
	return out, nil
}

// ParseInput decodes a JSON document (as NewDocument's, marshalled) into
// the AST value Eval takes, as `opa eval --input` does.
func ParseInput(data []byte) (ast.Value, error) {
	var x any
	if err := util.UnmarshalJSON(data, &x); err != nil {
		return nil, fmt.Errorf("decoding the Rego input: %w", err)
	}
	v, err := ast.InterfaceToValue(x)
	if err != nil {
		return nil, fmt.Errorf("converting the Rego input: %w", err)
	}
	return v, nil
}

// InputOf marshals a document and parses it with ParseInput.
func InputOf(d *Document) (ast.Value, error) {
	data, err := json.Marshal(d)
	if err != nil {
		return nil, fmt.Errorf("encoding the Rego input: %w", err)
	}
	return ParseInput(data)
}

// Eval evaluates the prepared query on a parsed input and returns the
// violations.
func Eval(ctx context.Context, pq rego.PreparedEvalQuery, input ast.Value) ([]Violation, error) {
	rs, err := pq.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, fmt.Errorf("evaluating %s: %w", Query, err)
	}
	if len(rs) != 1 || len(rs[0].Expressions) != 1 {
		return nil, fmt.Errorf("evaluating %s: want one result, got %d", Query, len(rs))
	}
	set, ok := rs[0].Expressions[0].Value.([]any)
	if !ok {
		return nil, fmt.Errorf("evaluating %s: result is %T, not a set", Query, rs[0].Expressions[0].Value)
	}
	out := make([]Violation, 0, len(set))
	for i, x := range set {
		m, _ := x.(map[string]any)
		v := Violation{}
		v.Rule, _ = m["rule"].(string)
		v.Resource, _ = m["resource"].(string)
		v.VNet, _ = m["vnet"].(string)
		if v.Rule == "" {
			return nil, fmt.Errorf("evaluating %s: violation %d has no rule: %v", Query, i, x)
		}
		out = append(out, v)
	}
	return out, nil
}
