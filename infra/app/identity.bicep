// User-assigned managed identities: one for the Function App (reads the
// networks, state table, secrets, telemetry) and one for the Event Grid
// system topics (writes dead-lettered events, nothing else). Keeping them
// apart means Event Grid never holds the app's Reader/Network Contributor
// rights.

@description('Name of the Function App identity.')
param appIdentityName string

@description('Name of the Event Grid (dead-letter) identity.')
param eventGridIdentityName string

param location string
param tags object

resource app 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: appIdentityName
  location: location
  tags: tags
}

resource eventGrid 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: eventGridIdentityName
  location: location
  tags: tags
}

output appIdentityId string = app.id
output appClientId string = app.properties.clientId
output appPrincipalId string = app.properties.principalId
output eventGridIdentityId string = eventGrid.id
output eventGridPrincipalId string = eventGrid.properties.principalId
