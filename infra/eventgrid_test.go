package infra

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/vnetdrift/vnetdrift/eventgrid"
)

const systemTopicFile = "monitored/systemtopic.bicep"

// Event Grid allows 25 advanced-filter values per event subscription.
const maxFilterValues = 25

// The event subscription's filter delivers exactly the operations and event
// types the handler understands: an operation missing from the filter is a
// drift nobody hears of until the next reconcile; an extra one is a wasted
// invocation.
func TestEventFilterMatchesTheHandler(t *testing.T) {
	src := readFile(t, systemTopicFile)
	ops := stringArray(t, src, "networkOperations")
	assert.ElementsMatch(t, eventgrid.NetworkOperations, ops)
	assert.Len(t, ops, len(eventgrid.NetworkOperations), "no duplicates")
	assert.LessOrEqual(t, len(ops), maxFilterValues)
	assert.ElementsMatch(t, eventgrid.NetworkEventTypes, stringArray(t, src, "includedEventTypes"))

	sub := block(t, src, `^resource toFunction 'Microsoft\.EventGrid/systemTopics/eventSubscriptions@`)
	filter := regexp.MustCompile(`(?s)advancedFilters: \[\s*\{\s*operatorType: 'StringIn'\s*key: 'data\.operationName'\s*values: networkOperations\s*\}\s*\]`)
	assert.Regexp(t, filter, sub, "the only advanced filter is StringIn on data.operationName over networkOperations")
	assert.Contains(t, sub, "includedEventTypes: includedEventTypes")
	assert.Contains(t, sub, "eventDeliverySchema: 'EventGridSchema'")
}

// No event is silently dropped: Event Grid retries for a day, then writes
// the event to the dead-letter container with its own identity.
func TestEventSubscriptionRetriesAndDeadLetters(t *testing.T) {
	src := readFile(t, systemTopicFile)
	sub := block(t, src, `^resource toFunction `)
	for _, want := range []string{
		"maxDeliveryAttempts: 30",
		"eventTimeToLiveInMinutes: 1440",
		"deadLetterWithResourceIdentity: {",
		"type: 'UserAssigned'",
		"userAssignedIdentity: eventGridIdentityId",
		"endpointType: 'StorageBlob'",
		"blobContainerName: deadLetterContainerName",
		"endpointType: 'AzureFunction'",
		"resourceId: '${functionAppId}/functions/${functionName}'",
		"maxEventsPerBatch: 1",
	} {
		assert.Contains(t, sub, want)
	}
	assert.Regexp(t, `= if \(deployEventSubscription\) \{`, sub, "created only once the function exists (second provision pass)")

	topic := block(t, src, `^resource systemTopic `)
	assert.Contains(t, topic, "location: 'global'")
	assert.Contains(t, topic, "topicType: 'Microsoft.Resources.Subscriptions'")
	assert.Contains(t, topic, "source: subscription().id")
	assert.Contains(t, topic, "'${eventGridIdentityId}': {}", "the dead-letter identity must be assigned to the topic")
}

// Every monitored subscription gets the module (and so a system topic and
// the Reader role), deployed at that subscription's scope.
func TestEveryMonitoredSubscriptionIsWired(t *testing.T) {
	main := readFile(t, "main.bicep")
	mod := block(t, main, `^module monitored 'monitored/subscription\.bicep' = \[for subscriptionId in monitoredSubscriptionIds: \{`)
	assert.Contains(t, mod, "scope: subscription(subscriptionId)")
	assert.Contains(t, mod, "deployEventSubscription: deployEventSubscriptions")
	assert.Regexp(t, `dependsOn: \[\s*rbac\s*\]`, mod, "the dead-letter role exists before the event subscription")
	assert.Contains(t, mod, "createSystemTopic: !contains(existingTopicSubscriptionIds, toLower(subscriptionId))")

	sub := readFile(t, "monitored/subscription.bicep")
	assert.Regexp(t, `(?m)^targetScope = 'subscription'$`, sub)
	assert.Contains(t, sub, "resource eventsGroup 'Microsoft.Resources/resourceGroups@2022-09-01' = if (createSystemTopic) {")
	assert.Contains(t, sub, "module topic 'systemtopic.bicep' = if (createSystemTopic) {",
		"no topic where one exists: a subscription can have only one")
	assert.Contains(t, readFile(t, "app/functionapp.bicep"), "VNETDRIFT_SUBSCRIPTIONS: join(monitoredSubscriptionIds, ',')",
		"the handler accepts events from exactly the monitored subscriptions")
}
