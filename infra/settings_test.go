package infra

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/deploy"
)

const configDoc = "../docs/CONFIGURATION.md"

var (
	vnetdriftSetting = regexp.MustCompile(`^VNETDRIFT_[A-Z0-9_]+$`)
	getenvFuncs      = map[string]bool{"Getenv": true, "getenv": true, "LookupEnv": true}
)

// codeSettings returns the settings the Go code reads, with the files
// (slash paths from the repository root) that name them: every string
// literal "VNETDRIFT_…" in non-test code, and every setting passed to a
// Getenv/getenv/LookupEnv call as a string literal or a string constant.
func codeSettings(t *testing.T) map[string][]string {
	t.Helper()
	files := parseGoSources(t)
	consts := stringConsts(files)
	found := map[string]map[string]bool{}
	add := func(name, file string) {
		if found[name] == nil {
			found[name] = map[string]bool{}
		}
		found[name][file] = true
	}
	for rel, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, ok := stringValue(n); ok && vnetdriftSetting.MatchString(s) {
					add(s, rel)
				}
			case *ast.CallExpr:
				if getenvFuncs[callName(n)] && len(n.Args) == 1 {
					for _, s := range argValues(n.Args[0], consts) {
						add(s, rel)
					}
				}
			}
			return true
		})
	}
	out := map[string][]string{}
	for name, in := range found {
		for f := range in {
			out[name] = append(out[name], f)
		}
		sort.Strings(out[name])
	}
	require.Contains(t, out, "VNETDRIFT_SUBSCRIPTIONS", "the scan must find the handler's settings")
	return out
}

// parseGoSources parses the repository's non-test Go files, by slash path
// from the repository root.
func parseGoSources(t *testing.T) map[string]*ast.File {
	t.Helper()
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != ".." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" || name == "tools") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", path)
		files[filepath.ToSlash(rel)] = f
		return nil
	})
	require.NoError(t, err)
	return files
}

// stringConsts maps the name of every string constant to its values (names
// may repeat across packages).
func stringConsts(files map[string]*ast.File) map[string][]string {
	consts := map[string][]string{}
	for _, f := range files {
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if lit, ok := vs.Values[i].(*ast.BasicLit); ok {
							if s, ok := stringValue(lit); ok {
								consts[name.Name] = append(consts[name.Name], s)
							}
						}
					}
				}
			}
		}
	}
	return consts
}

// argValues returns the setting names a Getenv argument can stand for: a
// string literal, or a constant (local or package-qualified) by name.
func argValues(arg ast.Expr, consts map[string][]string) []string {
	switch a := arg.(type) {
	case *ast.BasicLit:
		if s, ok := stringValue(a); ok {
			return []string{s}
		}
	case *ast.Ident:
		return consts[a.Name]
	case *ast.SelectorExpr:
		return consts[a.Sel.Name]
	}
	return nil
}

func stringValue(lit *ast.BasicLit) (string, bool) {
	if lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

func callName(c *ast.CallExpr) string {
	switch fn := c.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		return fn.Sel.Name
	}
	return ""
}

// bicepSettings returns the app settings app/functionapp.bicep sets: the
// keys of its `var …Settings` objects.
func bicepSettings(t *testing.T) map[string]bool {
	t.Helper()
	src := withoutStrings(readFile(t, "app/functionapp.bicep"))
	key := regexp.MustCompile(`\b([A-Za-z][A-Za-z0-9_]*)\s*:`)
	settings := map[string]bool{}
	for _, loc := range regexp.MustCompile(`(?m)^var \w+Settings = .*$`).FindAllStringIndex(src, -1) {
		decl := src[loc[0]:loc[1]]
		if strings.HasSuffix(decl, "{") { // a multi-line object, closed by "}" alone on a line
			decl = block(t, src[loc[0]:], `^var `)
		}
		for _, m := range key.FindAllStringSubmatch(decl, -1) {
			settings[m[1]] = true
		}
	}
	require.Contains(t, settings, "VNETDRIFT_SUBSCRIPTIONS")
	require.Contains(t, settings, "AzureWebJobsStorage__clientId")
	return settings
}

// docRow is one row of a settings table in docs/CONFIGURATION.md.
type docRow struct {
	name, def, readIn, deployment string
}

// docTable returns the rows of the table under the given "## " heading.
func docTable(t *testing.T, heading string) map[string]docRow {
	t.Helper()
	doc := readFile(t, configDoc)
	start := strings.Index(doc, "\n## "+heading+"\n")
	require.GreaterOrEqual(t, start, 0, "%s: no section %q", configDoc, heading)
	section := doc[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	rows := map[string]docRow{}
	row := regexp.MustCompile("(?m)^\\| `([A-Za-z_][A-Za-z0-9_]*)` \\|(.*)$")
	for _, m := range row.FindAllStringSubmatch(section, -1) {
		cells := strings.Split(strings.TrimSuffix(m[2], "|"), "|")
		for len(cells) < 4 {
			cells = append(cells, "")
		}
		rows[m[1]] = docRow{name: m[1], def: strings.TrimSpace(cells[0]), readIn: strings.TrimSpace(cells[1]), deployment: strings.TrimSpace(cells[2])}
	}
	require.NotEmpty(t, rows, "%s: section %q has no rows", configDoc, heading)
	return rows
}

// Every setting the code reads is set by the deployment or documented as
// one it leaves unset; every setting the deployment sets is documented; and
// the documentation says truly where each is read.
func TestSettingsAreDeployedOrDocumented(t *testing.T) {
	code, bicep, docs := codeSettings(t), bicepSettings(t), docTable(t, "App settings")
	for name, files := range code {
		row, documented := docs[name]
		if !assert.True(t, documented, "%s (read in %s) is not in %s", name, strings.Join(files, ", "), configDoc) {
			continue
		}
		if !bicep[name] {
			assert.True(t, strings.HasPrefix(row.deployment, "no"), "%s is not set by app/functionapp.bicep, so %s must say \"no …\" in its Deployment column", name, configDoc)
		}
		mentioned := false
		for _, f := range files {
			mentioned = mentioned || strings.Contains(row.readIn, f)
		}
		assert.True(t, mentioned, "%s: %s names %q as where it is read; the code reads it in %s", name, configDoc, row.readIn, strings.Join(files, ", "))
	}
	for name := range bicep {
		if row, ok := docs[name]; assert.True(t, ok, "app/functionapp.bicep sets %s, which %s does not document", name, configDoc) {
			assert.False(t, strings.HasPrefix(row.deployment, "no"), "%s is set by app/functionapp.bicep but documented as not set", name)
		}
	}
}

var goRef = regexp.MustCompile(`([\w./-]+\.go):(\w+)`)

// The "read in" column points at real code: each file:Symbol names a file
// that exists, declares or uses Symbol, and contains the setting's name.
func TestConfigurationDocPointsAtTheCode(t *testing.T) {
	for name, row := range docTable(t, "App settings") {
		for _, m := range goRef.FindAllStringSubmatch(row.readIn, -1) {
			src := readFile(t, filepath.Join("..", m[1]))
			assert.Contains(t, src, m[2], "%s: %s does not mention %s", name, m[1], m[2])
			assert.Contains(t, src, strconv.Quote(name), "%s: %s does not contain the setting's name", name, m[1])
		}
	}
}

// The deployment parameters azd reads from the environment are documented,
// and the %SETTING% a binding reads is set.
func TestDeploymentParametersAreDocumented(t *testing.T) {
	rows := docTable(t, "Deployment parameters")
	for param, value := range parameterValues(t) {
		m := envRef.FindStringSubmatch(value)
		require.NotNil(t, m, param)
		if strings.HasPrefix(m[1], "AZURE_") {
			continue // set by azd itself
		}
		_, ok := rows[m[1]]
		assert.True(t, ok, "main.parameters.json reads %s (parameter %s); document it in %s", m[1], param, configDoc)
	}
	for _, hookVar := range []string{"VNETDRIFT_BASELINE_FILE", "VNETDRIFT_EVENT_SUBSCRIPTIONS"} {
		_, ok := rows[hookVar]
		assert.True(t, ok, "the hooks read %s; document it in %s", hookVar, configDoc)
	}
	p, err := deploy.Load("..")
	require.NoError(t, err)
	bicep := bicepSettings(t)
	for _, ref := range p.SettingReferences() {
		assert.True(t, bicep[ref], "a binding reads %%%s%%, which app/functionapp.bicep does not set", ref)
	}
}
