// Role assignments inside the app's resource group, each at the narrowest
// scope Azure RBAC allows for what the principal does:
//   app identity        Storage Blob Data Owner       storage account (host blobs, deployment container)
//   app identity        Storage Table Data Contributor storage account (see below)
//   app identity        Key Vault Secrets User        the vault (Key Vault references)
//   app identity        Monitoring Metrics Publisher  the Application Insights component
//   app identity        EventGrid Data Sender         the drift topic, when deployed
//   Event Grid identity Storage Blob Data Contributor the dead-letter container only
// The table role is on the account, not the table: vnetdrift creates its
// table at start-up if missing (state.NewTable), and whether Create Table is
// authorized by a table-scoped assignment could not be verified offline. The
// account is dedicated to vnetdrift and holds no other table.
// Role IDs come from ../roles.json (checked against the built-in roles by
// infra/infra_test.go).

param appPrincipalId string
param eventGridPrincipalId string
param storageAccountName string
param deadLetterContainerName string
param keyVaultName string
param applicationInsightsName string

@description('Name of the drift topic; empty when it is not deployed.')
param driftTopicName string = ''

var roles = loadJsonContent('../roles.json')

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetter 'containers' existing = {
      name: deadLetterContainerName
    }
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource driftTopic 'Microsoft.EventGrid/topics@2025-02-15' existing = if (!empty(driftTopicName)) {
  name: driftTopicName
}

resource blobOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, roles.storageBlobDataOwner.id)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner.id)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource stateTable 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, appPrincipalId, roles.storageTableDataContributor.id)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor.id)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, roles.keyVaultSecretsUser.id)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser.id)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appPrincipalId, roles.monitoringMetricsPublisher.id)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher.id)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource topicSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(driftTopicName)) {
  name: guid(driftTopic.id, appPrincipalId, roles.eventGridDataSender.id)
  scope: driftTopic
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.eventGridDataSender.id)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource deadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::deadLetter.id, eventGridPrincipalId, roles.storageBlobDataContributor.id)
  scope: storage::blobService::deadLetter
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor.id)
    principalId: eventGridPrincipalId
    principalType: 'ServicePrincipal'
  }
}
