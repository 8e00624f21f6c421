"""The structure of the GeoReport v2 specification's own example documents
(wiki.open311.org/GeoReport_v2 and Service_Discovery, as published on
open311.github.io): every element, in the spec's order, with sample values of
our own. Answers are compared with these element by element."""

SERVICES_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<services>
    <service>
        <service_code>001</service_code>
        <service_name>Cans left out</service_name>
        <description>Cans left out after collection.</description>
        <metadata>true</metadata>
        <type>realtime</type>
        <keywords>lorem, ipsum</keywords>
        <group>sanitation</group>
    </service>
</services>"""

SERVICES_JSON = """[{"service_code": "001", "service_name": "Cans left out",
  "description": "Cans left out after collection.", "metadata": true, "type": "realtime",
  "keywords": "lorem, ipsum", "group": "sanitation"}]"""

DEFINITION_XML = b"""<?xml version="1.0" encoding="utf-8"?>
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
            <description>Which make?</description>
            <values>
                <value><key>123</key><name>Ford</name></value>
                <value><key>124</key><name>Chrysler</name></value>
            </values>
        </attribute>
    </attributes>
</service_definition>"""

DEFINITION_JSON = """{"service_code": "DMV66", "attributes": [{"variable": true, "code": "WHISHETN",
  "datatype": "singlevaluelist", "required": true, "datatype_description": null, "order": 1,
  "description": "Which make?", "values": [{"key": "123", "name": "Ford"}, {"key": "124", "name": "Chrysler"}]}]}"""

POST_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>293944</service_request_id>
        <service_notice>The City will inspect.</service_notice>
        <account_id/>
    </request>
</service_requests>"""

POST_JSON = """[{"service_request_id": "293944", "service_notice": "The City will inspect.", "account_id": null}]"""

TOKEN_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<service_requests>
    <request>
        <service_request_id>638344</service_request_id>
        <token>12345</token>
    </request>
</service_requests>"""

TOKEN_JSON = """[{"service_request_id": "638344", "token": "12345"}]"""

REQUESTS_XML = b"""<?xml version="1.0" encoding="utf-8"?>
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
        <media_url>http://city.gov/media/638344.jpg</media_url>
    </request>
</service_requests>"""

REQUESTS_JSON = """[{"service_request_id": "638344", "status": "closed", "status_notes": "Duplicate request.",
  "service_name": "Sidewalk and Curb Issues", "service_code": "006", "description": null,
  "agency_responsible": null, "service_notice": null, "requested_datetime": "2010-04-14T06:37:38-08:00",
  "updated_datetime": "2010-04-14T06:37:38-08:00", "expected_datetime": "2010-04-15T06:37:38-08:00",
  "address": "8TH AVE and JUDAH ST", "address_id": "545483", "zipcode": "94122", "lat": 37.762221815,
  "long": -122.4651145, "media_url": "http://city.gov/media/638344.jpg"}]"""

ERRORS_XML = b"""<?xml version="1.0" encoding="utf-8"?>
<errors>
    <error>
        <code>403</code>
        <description>Invalid api_key received -- can't proceed with create_request.</description>
    </error>
</errors>"""

ERRORS_JSON = """[{"code": 403, "description": "Invalid api_key received -- can't proceed with create_request."}]"""

DISCOVERY_XML = b"""<?xml version="1.0" encoding="UTF-8"?>
<discovery>
    <changeset>2011-02-03 14:18</changeset>
    <contact>You can email or call for assistance</contact>
    <key_service>You can request a key here</key_service>
    <endpoints>
        <endpoint>
            <specification>http://wiki.open311.org/GeoReport_v2</specification>
            <url>http://open311.mycity.gov/v2</url>
            <changeset>2010-11-23 09:01</changeset>
            <type>production</type>
            <formats>
                <format>text/xml</format>
                <format>application/json</format>
            </formats>
        </endpoint>
    </endpoints>
</discovery>"""

DISCOVERY_JSON = """{"changeset": "2011-02-03 14:18", "contact": "You can email or call for assistance",
  "key_service": "You can request a key here", "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2",
  "url": "http://open311.mycity.gov/v2", "changeset": "2010-11-23 09:01", "type": "production",
  "formats": ["text/xml", "application/json"]}]}"""
