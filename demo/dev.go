package demo

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/vnetdrift/vnetdrift/handler"
)

// Dev starts the loop and keeps it running until ctx ends, after printing
// where everything is and what to try.
func Dev(ctx context.Context, out io.Writer, o Options) error {
	l, err := Start(ctx, o)
	if err != nil {
		return err
	}
	defer l.Close()
	findings := "(none: --findings \"\")"
	if o.FindingsFile != "" {
		if abs, err := filepath.Abs(o.FindingsFile); err == nil {
			findings = abs
		}
	}
	arm := l.EmulatorURL
	fmt.Fprintf(out, `vnetdrift dev: the whole loop is running on the example estate. Ctrl-C stops it.

  ARM + Event Grid emulator  %[1]s   (export VNETDRIFT_ARM_ENDPOINT=%[1]s)
  vnetdrift serve            %[2]s   (the emulator delivers every change's event to %[3]s)
  findings (JSON Lines)      %[4]s
  metrics                    %[2]s/metrics

Try, in another terminal. Like ARM, the emulator finishes a PUT or DELETE when its Azure-AsyncOperation URL
is polled (az and the SDKs do that) or after 30 s, and the change's event goes out then; arm() polls it:

  arm() { op=$(curl -sS -D - -o /dev/null -H 'Authorization: Bearer dev' -H 'Content-Type: application/json' "$@" | tr -d '\r' | sed -n 's/^[Aa]zure-[Aa]sync[Oo]peration: //p'); while [ -n "$op" ] && curl -sS -H 'Authorization: Bearer dev' "$op" | grep -q InProgress; do sleep 0.05; done; }

  # drift: turn off allowForwardedTraffic on vnet-spoke-app3-neu's peering
  arm -X PUT '%[1]s%[5]s?api-version=2024-05-01' \
    -d '{"properties":{"remoteVirtualNetwork":{"id":"%[6]s"},"allowVirtualNetworkAccess":true,"allowForwardedTraffic":false,"allowGatewayTransit":false,"useRemoteGateways":true}}'

  # fix it: the same PUT with "allowForwardedTraffic":true

  # drift: delete the hub's half of the peering to vnet-spoke-app2-weu
  arm -X DELETE '%[1]s%[7]s?api-version=2024-05-01'

  # run the timer's reconcile, as the Functions host would
  curl -sS -X POST -H 'Content-Type: application/json' %[2]s/Reconcile -d '{"Data":{"timer":{}},"Metadata":{}}'

  # scan the emulator with the CLI
  VNETDRIFT_ARM_ENDPOINT=%[1]s go run . scan --subscription %[8]s --subscription %[9]s --baseline examples/baseline.yaml

`, arm, l.ServeURL, handler.WebhookPath, findings, s3ToHubN, vnetID(SubNEU, "rg-net-neu", "vnet-hub-neu"), hubToS2, SubWEU, SubNEU)
	<-ctx.Done()
	fmt.Fprintln(out, "vnetdrift dev: stopping")
	return nil
}
