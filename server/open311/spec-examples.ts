/*
 * The GeoReport v2 specification's own examples (http://wiki.open311.org/GeoReport_v2 and
 * http://wiki.open311.org/Service_Discovery, as published in the open311/open311.github.io
 * repository), one record each, for the conformance test (open311.test.ts): the field names of
 * every answer must be the spec's, in XML and in JSON. Where the spec's JSON is not JSON (it
 * writes codes as bare 001), SPEC_TYPES gives the type its field tables and XML state.
 */

export const SPEC_XML = {
  discovery: `<?xml version="1.0" encoding="UTF-8"?>
<discovery>
  <changeset>2011-02-03 14:18</changeset>
  <contact>You can email or call for assistance api@mycity.org +1 (555) 555-5555</contact>
  <key_service>You can request a key here: http://api.mycity.gov/api_key/request</key_service>
  <endpoints>
    <endpoint>
      <specification>http://wiki.open311.org/GeoReport_v2</specification>
      <url>http://open311.mycity.gov/v2</url>
      <changeset>2010-11-23 09:01</changeset>
      <type>production</type>
      <formats>
        <format>text/xml</format>
      </formats>
    </endpoint>
  </endpoints>
</discovery>`,
  services: `<?xml version="1.0" encoding="utf-8"?>
<services>
  <service>
    <service_code>001</service_code>
    <service_name>Cans left out 24x7</service_name>
    <description>Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.</description>
    <metadata>true</metadata>
    <type>realtime</type>
    <keywords>lorem, ipsum, dolor</keywords>
    <group>sanitation</group>
  </service>
</services>`,
  service_definition: `<?xml version="1.0" encoding="utf-8"?>
<service_definition>
  <service_code>DMV66</service_code>
  <attributes>
    <attribute>
      <variable>true</variable>
      <code>WHISHETN</code>
      <datatype>singlevaluelist</datatype>
      <required>true</required>
      <datatype_description></datatype_description>
      <order>1</order>
      <description>What is the ticket/tag/DL number?</description>
      <values>
        <value>
          <key>123</key>
          <name>Ford</name>
        </value>
      </values>
    </attribute>
  </attributes>
</service_definition>`,
  post_request: `<?xml version="1.0" encoding="utf-8"?>
<service_requests>
  <request>
    <service_request_id>293944</service_request_id>
    <service_notice>The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code</service_notice>
    <account_id/>
  </request>
</service_requests>`,
  requests: `<?xml version="1.0" encoding="utf-8"?>
<service_requests>
  <request>
    <service_request_id>638344</service_request_id>
    <status>closed</status>
    <status_notes>Duplicate request.</status_notes>
    <service_name>Sidewalk and Curb Issues</service_name>
    <service_code>006</service_code>
    <description></description>
    <agency_responsible></agency_responsible>
    <service_notice></service_notice>
    <requested_datetime>2010-04-14T06:37:38-08:00</requested_datetime>
    <updated_datetime>2010-04-14T06:37:38-08:00</updated_datetime>
    <expected_datetime>2010-04-15T06:37:38-08:00</expected_datetime>
    <address>8TH AVE and JUDAH ST</address>
    <address_id>545483</address_id>
    <zipcode>94122</zipcode>
    <lat>37.762221815</lat>
    <long>-122.4651145</long>
    <media_url>http://city.gov.s3.amazonaws.com/requests/media/638344.jpg </media_url>
  </request>
</service_requests>`,
  errors: `<?xml version="1.0" encoding="utf-8"?>
<errors>
  <error>
    <code>403</code>
    <description>Invalid api_key received -- can't proceed with create_request.</description>
  </error>
</errors>`,
} as const;

/** The spec's JSON examples (Spark convention), first record; the bare 001-style numbers written as the strings the tables call them. */
export const SPEC_JSON = {
  discovery: {
    changeset: '2011-02-03 14:18',
    contact: 'You can email or call for assistance api@mycity.org +1 (555) 555-5555',
    key_service: 'You can request a key here: http://api.mycity.gov/api_key/request',
    endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: 'http://open311.mycity.gov/v2', changeset: '2010-11-23 09:01', type: 'production', formats: ['text/xml'] }],
  },
  services: [{
    service_code: '001', service_name: 'Cans left out 24x7', description: 'Garbage or recycling cans that have been left out for more than 24 hours after collection. Violators will be cited.',
    metadata: true, type: 'realtime', keywords: 'lorem, ipsum, dolor', group: 'sanitation',
  }],
  service_definition: {
    service_code: 'DMV66',
    attributes: [{
      variable: true, code: 'WHISHETN', datatype: 'singlevaluelist', required: true, datatype_description: null, order: 1,
      description: 'What is the ticket/tag/DL number?', values: [{ key: 123, name: 'Ford' }],
    }],
  },
  post_request: [{ service_request_id: 293944, service_notice: 'The City will inspect and require the responsible party to correct within 24 hours and/or issue a Correction Notice or Notice of Violation of the Public Works Code', account_id: null }],
  requests: [{
    service_request_id: 638344, status: 'closed', status_notes: 'Duplicate request.', service_name: 'Sidewalk and Curb Issues', service_code: '006',
    description: null, agency_responsible: null, service_notice: null, requested_datetime: '2010-04-14T06:37:38-08:00', updated_datetime: '2010-04-14T06:37:38-08:00',
    expected_datetime: '2010-04-15T06:37:38-08:00', address: '8TH AVE and JUDAH ST', address_id: 545483, zipcode: 94122, lat: 37.762221815, long: -122.4651145,
    media_url: 'http://city.gov.s3.amazonaws.com/requests/media/638344.jpg ',
  }],
  errors: [{ code: 403, description: "Invalid api_key received -- can't proceed with create_request." }],
} as const;

/**
 * Each field's type by the spec's tables: `id` is an identifier (the examples show both numbers and
 * strings; ours are strings), `w3c` a date-time with its zone, `?` may be null ("May not be returned").
 */
export const SPEC_TYPES: Record<keyof typeof SPEC_JSON, Record<string, string>> = {
  discovery: { changeset: 'string', contact: 'string', key_service: 'string', endpoints: 'array' },
  services: { service_code: 'id', service_name: 'string', description: 'string', metadata: 'boolean', type: 'realtime|batch|blackbox', keywords: 'string', group: 'string' },
  service_definition: { service_code: 'id', attributes: 'array' },
  post_request: { service_request_id: 'id', service_notice: 'string?', account_id: 'string?' },
  requests: {
    service_request_id: 'id', status: 'open|closed', status_notes: 'string?', service_name: 'string', service_code: 'id', description: 'string?',
    agency_responsible: 'string?', service_notice: 'string?', requested_datetime: 'w3c', updated_datetime: 'w3c', expected_datetime: 'w3c?',
    address: 'string?', address_id: 'id?', zipcode: 'id?', lat: 'number?', long: 'number?', media_url: 'string?',
  },
  errors: { code: 'number', description: 'string' },
};

/** The attribute and value fields of a service definition, and an endpoint's of discovery. */
export const SPEC_ATTRIBUTE_TYPES: Record<string, string> = {
  variable: 'boolean', code: 'id', datatype: 'string|number|datetime|text|singlevaluelist|multivaluelist', required: 'boolean',
  datatype_description: 'string?', order: 'number', description: 'string', values: 'array',
};
export const SPEC_VALUE_TYPES: Record<string, string> = { key: 'id', name: 'string' };
export const SPEC_ENDPOINT_TYPES: Record<string, string> = { specification: 'string', url: 'string', changeset: 'string', type: 'production|test', formats: 'array' };
