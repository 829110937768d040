package baseline

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Builders of the YAML nodes Marshal writes.

func mapNode(flow bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

func seqNode(flow bool) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
	if flow {
		n.Style = yaml.FlowStyle
	}
	return n
}

func strNode(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tagStr, Value: s} }

func boolNode(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tagBool, Value: strconv.FormatBool(b)}
}

func intNode(i int64) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tagInt, Value: strconv.FormatInt(i, 10)}
}

func add(m *yaml.Node, key string, v *yaml.Node) { m.Content = append(m.Content, strNode(key), v) }

func addStr(m *yaml.Node, key, v string) {
	if v != "" {
		add(m, key, strNode(v))
	}
}

func addBool(m *yaml.Node, key string, v *bool) {
	if v != nil {
		add(m, key, boolNode(*v))
	}
}
