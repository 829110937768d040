// The app's storage account, reachable with Microsoft Entra identities only
// (no shared keys, no SAS): the Flex Consumption deployment container, the
// host's own blobs (AzureWebJobsStorage), the alert-state table and the
// container Event Grid dead-letters undeliverable events into.

param name string
param location string
param tags object

@description('Blob container the Flex Consumption plan deploys the package from.')
param deploymentContainerName string

@description('Blob container for dead-lettered Event Grid events.')
param deadLetterContainerName string

@description('Table holding the alert state shared by every instance (VNETDRIFT_STATE_TABLE).')
param stateTableName string

@description('Days a dead-lettered event is kept before the lifecycle policy deletes it.')
param deadLetterRetentionDays int = 30

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deployment 'containers' = {
      name: deploymentContainerName
    }

    resource deadLetter 'containers' = {
      name: deadLetterContainerName
    }
  }

  resource tableService 'tableServices' = {
    name: 'default'

    resource state 'tables' = {
      name: stateTableName
    }
  }

  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'expire-dead-letters'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: {
                blobTypes: [
                  'blockBlob'
                ]
                prefixMatch: [
                  '${deadLetterContainerName}/'
                ]
              }
              actions: {
                baseBlob: {
                  delete: {
                    daysAfterModificationGreaterThan: deadLetterRetentionDays
                  }
                }
              }
            }
          }
        ]
      }
    }
  }
}

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
