// Everything vnetdrift needs in one monitored subscription, deployed once per
// subscription by main.bicep (module scope: subscription(id)):
//   - Reader for the app identity on the subscription (read networks,
//     Resource Graph);
//   - Network Contributor for the app identity, only when remediation is
//     enabled;
//   - a resource group holding the subscription's Event Grid system topic
//     (Microsoft.Resources.Subscriptions) and, once the function exists, the
//     event subscription to OnResourceChange (systemtopic.bicep), unless the
//     subscription already has a system topic (createSystemTopic false: a
//     subscription can have only one; docs/DEPLOY.md).
targetScope = 'subscription'

param appPrincipalId string
param enableRemediation bool

@description('Create the resource group, system topic and event subscription here.')
param createSystemTopic bool = true

@description('Resource group created in this subscription for the system topic.')
param eventsResourceGroupName string
param location string
param tags object

param systemTopicName string
param eventGridIdentityId string
param deployEventSubscription bool
param functionAppId string
param deadLetterStorageId string
param deadLetterContainerName string

var roles = loadJsonContent('../roles.json')

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, appPrincipalId, roles.reader.id)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.reader.id)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    description: 'vnetdrift: read virtual networks, gateways and connections'
  }
}

resource networkContributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (enableRemediation) {
  name: guid(subscription().id, appPrincipalId, roles.networkContributor.id)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.networkContributor.id)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    description: 'vnetdrift: guarded remediation (enableRemediation)'
  }
}

resource eventsGroup 'Microsoft.Resources/resourceGroups@2022-09-01' = if (createSystemTopic) {
  name: eventsResourceGroupName
  location: location
  tags: tags
}

module topic 'systemtopic.bicep' = if (createSystemTopic) {
  name: 'vnetdrift-systemtopic'
  scope: eventsGroup
  params: {
    name: systemTopicName
    tags: tags
    eventGridIdentityId: eventGridIdentityId
    deployEventSubscription: deployEventSubscription
    functionAppId: functionAppId
    deadLetterStorageId: deadLetterStorageId
    deadLetterContainerName: deadLetterContainerName
  }
}

output systemTopicId string = createSystemTopic ? topic.outputs.id : ''
