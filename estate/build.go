package estate

// Load reads and merges estate files into one Estate: the Estate that
// ReadFile, Merge and Build make, several times faster (see loadFast).
// When the fast path fails for any reason, Load repeats the work with the
// SDK model types, so errors read exactly as ReadFile and Build word them.
// Load is more lenient than ReadFile in one way only: it does not check
// the JSON type of fields it does not read (ReadFile rejects a VNet with
// "dhcpOptions": 7, Load ignores that field as it ignores unknown ones).
func Load(paths ...string) (*Estate, error) {
	if e, err := loadFast(paths); err == nil {
		return e, nil
	}
	return loadSDK(paths)
}

// loadSDK is Load through the SDK model types: ReadFile, Merge, Build.
func loadSDK(paths []string) (*Estate, error) {
	all := &Resources{Skipped: map[string]int{}}
	for _, p := range paths {
		r, err := ReadFile(p)
		if err != nil {
			return nil, err
		}
		all.Merge(r)
	}
	return Build(all)
}

// Build converts SDK model values into a normalized, indexed Estate. A
// peering given both inline in its VNet and as a standalone resource is
// one peering (the later one wins). Address prefixes that do not parse are
// an error naming the resource.
func Build(r *Resources) (*Estate, error) {
	items, err := itemsOf(r)
	if err != nil {
		return nil, err
	}
	return assemble(items, r.Skipped), nil
}

// itemsOf converts SDK model values, type by type, in Build's order. It
// stops at the first resource that does not convert.
func itemsOf(r *Resources) ([]item, error) {
	items := make([]item, 0, len(r.VNets)+len(r.Peerings)+len(r.Gateways)+len(r.Connections)+len(r.LocalGateways)+len(r.PublicIPs))
	for _, v := range r.VNets {
		vn, peerings, err := vnetOf(vnetFromSDK(v))
		if err != nil {
			return nil, err
		}
		items = append(items, item{kind: kindVNet, vnet: vn, peerings: peerings})
	}
	for _, p := range r.Peerings {
		pr, err := peeringOf(peeringFromSDK(p), nil)
		if err != nil {
			return nil, err
		}
		items = append(items, item{kind: kindPeering, peerings: []*Peering{pr}})
	}
	for _, g := range r.Gateways {
		items = append(items, item{kind: kindGateway, gateway: gatewayOf(gatewayFromSDK(g))})
	}
	for _, c := range r.Connections {
		items = append(items, item{kind: kindConnection, conn: connectionOf(connectionFromSDK(c))})
	}
	for _, l := range r.LocalGateways {
		lg, err := localGatewayOf(localGatewayFromSDK(l))
		if err != nil {
			return nil, err
		}
		items = append(items, item{kind: kindLocalGateway, local: lg})
	}
	for _, p := range r.PublicIPs {
		items = append(items, item{kind: kindPublicIP, publicIP: publicIPOf(publicIPFromSDK(p))})
	}
	return items, nil
}

// assemble puts converted items into a new Estate in Build's order: VNets
// with their inline peerings, standalone peerings, gateways, connections,
// local network gateways, public IPs. Of two resources with the same key
// the later one wins. Items of kindSkipped are counted with skipped.
func assemble(items []item, skipped map[string]int) *Estate {
	var n [kindPublicIP + 1]int
	peerings := 0
	for _, it := range items {
		n[it.kind]++
		peerings += len(it.peerings)
	}
	e := &Estate{
		VNets:         make(map[Key]*VNet, n[kindVNet]),
		Peerings:      make(map[Key]*Peering, peerings),
		Gateways:      make(map[Key]*Gateway, n[kindGateway]),
		Connections:   make(map[Key]*Connection, n[kindConnection]),
		LocalGateways: make(map[Key]*LocalGateway, n[kindLocalGateway]),
		PublicIPs:     make(map[Key]*PublicIP, n[kindPublicIP]),
		Skipped:       make(map[string]int, len(skipped)),
	}
	for t, c := range skipped {
		e.Skipped[t] += c
	}
	for k := kindSkipped; k <= kindPublicIP; k++ {
		if n[k] == 0 {
			continue
		}
		for i := range items {
			if items[i].kind == k {
				e.put(&items[i])
			}
		}
	}
	e.Index()
	return e
}

func (e *Estate) put(it *item) {
	switch it.kind {
	case kindSkipped:
		e.Skipped[it.skipped]++
	case kindVNet:
		e.VNets[it.vnet.Key] = it.vnet
	case kindGateway:
		e.Gateways[it.gateway.Key] = it.gateway
	case kindConnection:
		e.Connections[it.conn.Key] = it.conn
	case kindLocalGateway:
		e.LocalGateways[it.local.Key] = it.local
	case kindPublicIP:
		e.PublicIPs[it.publicIP.Key] = it.publicIP
	}
	for _, p := range it.peerings {
		e.Peerings[p.Key] = p
	}
}
