// Optional Event Grid custom topic that vnetdrift publishes
// Vnetdrift.DriftOpened / Vnetdrift.DriftResolved CloudEvents to, so Logic
// Apps, Sentinel or a ticketing system can react. Access keys are disabled:
// the app publishes with its identity (EventGrid Data Sender, app/rbac.bicep).

param name string
param location string
param tags object

resource topic 'Microsoft.EventGrid/topics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

output name string = topic.name
output endpoint string = topic.properties.endpoint
