#!/bin/sh
# azd postdeploy hook (azure.yaml): create the Event Grid event subscriptions
# once the functions exist.
#
# The ordering problem: an event subscription whose destination is an Azure
# Function can only be created when that function exists, and `azd up`
# provisions (Bicep) before it deploys the code. So the first provision pass
# runs with deployEventSubscriptions=false (system topics, roles, app; no
# event subscriptions); after the code is deployed this hook
#   1. waits until the Functions host lists every function of the package
#      (needs the Azure CLI, logged in; skipped with a warning otherwise),
#   2. sets VNETDRIFT_EVENT_SUBSCRIPTIONS=true in the azd environment and
#      runs a second `azd provision`, which creates the event subscriptions
#      (infra/monitored/systemtopic.bicep).
# From then on every `azd provision` keeps them up to date, and this hook
# only re-checks the functions. The postdown hook resets the flag.
#
# Manual equivalent: azd env set VNETDRIFT_EVENT_SUBSCRIPTIONS true && azd provision
set -eu

# The functions of the package (folders with a function.json). Kept in step
# with the folders by infra/infra_test.go.
FUNCTIONS="OnResourceChange Reconcile"

: "${AZURE_FUNCTION_APP_NAME:?not set: run this hook through azd (azd hooks run postdeploy)}"
: "${AZURE_RESOURCE_GROUP:?not set: run this hook through azd (azd hooks run postdeploy)}"
SUBSCRIPTION="${AZURE_SUBSCRIPTION_ID:-}"
TRIES="${VNETDRIFT_HOOK_TRIES:-30}" # 10 s apart

# function_listed NAME: whether the Functions host of the app lists NAME.
function_listed() {
	az functionapp function show \
		--resource-group "$AZURE_RESOURCE_GROUP" \
		--name "$AZURE_FUNCTION_APP_NAME" \
		${SUBSCRIPTION:+--subscription "$SUBSCRIPTION"} \
		--function-name "$1" --query name --output tsv >/dev/null 2>&1
}

wait_for_functions() {
	if ! command -v az >/dev/null 2>&1 || ! az account show >/dev/null 2>&1; then
		echo "postdeploy: Azure CLI missing or not logged in: not checking that the functions are indexed" >&2
		return 0
	fi
	for fn in $FUNCTIONS; do
		i=0
		until function_listed "$fn"; do
			i=$((i + 1))
			if [ "$i" -ge "$TRIES" ]; then
				echo "postdeploy: function $fn is not listed by $AZURE_FUNCTION_APP_NAME after $TRIES tries;" >&2
				echo "postdeploy: check the deployment (docs/OPERATIONS.md) and run: azd hooks run postdeploy" >&2
				return 1
			fi
			echo "postdeploy: waiting for function $fn ($i/$TRIES)"
			sleep 10
		done
		echo "postdeploy: function $fn is live"
	done
}

wait_for_functions

if [ "${VNETDRIFT_EVENT_SUBSCRIPTIONS:-false}" = "true" ]; then
	echo "postdeploy: event subscriptions are enabled; the provision step of this run kept them up to date"
	exit 0
fi

echo "postdeploy: second provision pass: creating the Event Grid event subscriptions"
azd env set VNETDRIFT_EVENT_SUBSCRIPTIONS true
if ! VNETDRIFT_EVENT_SUBSCRIPTIONS=true azd provision --no-prompt; then
	azd env set VNETDRIFT_EVENT_SUBSCRIPTIONS false
	echo "postdeploy: the second provision pass failed; fix the error above and run: azd hooks run postdeploy" >&2
	exit 1
fi
echo "postdeploy: event subscriptions created; dead-lettered events go to container ${DEADLETTER_CONTAINER_NAME:-eventgrid-deadletter} of ${AZURE_STORAGE_ACCOUNT_NAME:-the app storage account}"
