// The Event Grid system topic of one subscription (ARM resource events) and
// the event subscription that delivers network changes to the
// OnResourceChange function.
//
// The event subscription is created only when deployEventSubscription is
// true: an AzureFunction destination must exist when the subscription is
// created, and azd provisions before it deploys code. infra/hooks/postdeploy.sh
// runs a second provision pass with the flag set once the function is live.
//
// The filter lists exactly the operations the handler understands
// (eventgrid.NetworkOperations) and the event types it subscribes to
// (eventgrid.NetworkEventTypes); infra/infra_test.go fails when they drift
// apart. Event Grid allows 25 filter values in total.

param name string
param tags object
param eventGridIdentityId string
param deployEventSubscription bool
param functionAppId string
param deadLetterStorageId string
param deadLetterContainerName string

@description('The eventGridTrigger function (folder OnResourceChange/function.json).')
param functionName string = 'OnResourceChange'

var includedEventTypes = [
  'Microsoft.Resources.ResourceWriteSuccess'
  'Microsoft.Resources.ResourceDeleteSuccess'
  'Microsoft.Resources.ResourceActionSuccess'
]

var networkOperations = [
  'Microsoft.Network/virtualNetworks/write'
  'Microsoft.Network/virtualNetworks/delete'
  'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/write'
  'Microsoft.Network/virtualNetworks/virtualNetworkPeerings/delete'
  'Microsoft.Network/virtualNetworkGateways/write'
  'Microsoft.Network/virtualNetworkGateways/delete'
  'Microsoft.Network/virtualNetworkGateways/reset/action'
  'Microsoft.Network/connections/write'
  'Microsoft.Network/connections/delete'
  'Microsoft.Network/localNetworkGateways/write'
  'Microsoft.Network/localNetworkGateways/delete'
]

resource systemTopic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: 'global'
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${eventGridIdentityId}': {}
    }
  }
  properties: {
    source: subscription().id
    topicType: 'Microsoft.Resources.Subscriptions'
  }
}

resource toFunction 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (deployEventSubscription) {
  parent: systemTopic
  name: 'vnetdrift-onresourcechange'
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    destination: {
      endpointType: 'AzureFunction'
      properties: {
        resourceId: '${functionAppId}/functions/${functionName}'
        maxEventsPerBatch: 1
        preferredBatchSizeInKilobytes: 64
      }
    }
    filter: {
      includedEventTypes: includedEventTypes
      isSubjectCaseSensitive: false
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.operationName'
          values: networkOperations
        }
      ]
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'UserAssigned'
        userAssignedIdentity: eventGridIdentityId
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: deadLetterStorageId
          blobContainerName: deadLetterContainerName
        }
      }
    }
  }
}

output id string = systemTopic.id
