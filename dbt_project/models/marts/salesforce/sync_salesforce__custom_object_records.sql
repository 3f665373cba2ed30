{#- One row per custom-object record of every mapped Stames custom object; `stames__sobject`
    names its Salesforce object and `stames__field_values` holds its mapped fields by API name
    (the keys are data, so they cannot be columns). -#}
select
    record_id as Stames_Id__c,
    sobject as stames__sobject,
    case_ticket_id::string as ref__Case__c,
    contact_customer_id::string as ref__Contact__c,
    field_values as stames__field_values,
    other_ticket_ids as stames__other_case_ids
from {{ ref('int_custom_object_records_mapped') }}
where disposition <> 'quarantined'
