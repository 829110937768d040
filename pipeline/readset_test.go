package pipeline

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/vnetdrift/vnetdrift/estate"
)

// targetsOnly returns only the VNets asked for, as if none were linked.
type targetsOnly struct {
	all  *estate.Resources
	mu   sync.Mutex
	asks [][]string
}

func (r *targetsOnly) ReadNeighbourhood(_ context.Context, ids []string) (*estate.Resources, error) {
	r.mu.Lock()
	r.asks = append(r.asks, ids)
	r.mu.Unlock()
	out := &estate.Resources{}
	for _, v := range r.all.VNets {
		for _, id := range ids {
			if strings.EqualFold(*v.ID, id) {
				out.VNets = append(out.VNets, v)
			}
		}
	}
	return out, nil
}

func (r *targetsOnly) ReadAll(context.Context) (*estate.Resources, error) { return r.all, nil }

func TestReadNeighbourhoodReadsUnlinkedDeclaredRemotes(t *testing.T) {
	r := &targetsOnly{all: newFakeReader(t).res}
	res, err := readNeighbourhood(context.Background(), r, exampleBaseline(t), []string{spoke1, spoke2})
	require.NoError(t, err)
	assert.Equal(t, [][]string{{spoke1, spoke2}, {hubWEU}}, r.asks, "the hub both declare, once, in a second read")
	var got []string
	for _, v := range res.VNets {
		got = append(got, estate.LastSegment(*v.ID))
	}
	assert.ElementsMatch(t, []string{"vnet-spoke-app1-weu", "vnet-spoke-app2-weu", "vnet-hub-weu"}, got)
}

func TestReadNeighbourhoodOneReadWhenLinked(t *testing.T) {
	f := newFakeReader(t) // returns everything: every declared remote is there
	_, err := readNeighbourhood(context.Background(), f, exampleBaseline(t), []string{spoke1})
	require.NoError(t, err)
	assert.Equal(t, [][]string{{spoke1}}, f.readArgs())
	_, err = readNeighbourhood(context.Background(), f, nil, []string{spoke2})
	require.NoError(t, err)
}
