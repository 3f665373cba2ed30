{#- Custom-object records that cannot be loaded (their object has no mapping), and, under the
    link field's name, records loaded without their Case because the ticket is not migrated. -#}
select
    'custom_object.' || object_key as object,
    record_id as stames_id,
    'no custom object mapping' as reason,
    'custom object "' || object_key || '" is not in the mapping''s custom_objects: add it and confirm the mapping' as detail
from {{ ref('int_custom_object_records_mapped') }}
where disposition = 'quarantined'

union all

select
    'custom_object.' || object_key || '.Case__c' as object,
    record_id as stames_id,
    'dangling case link dropped' as reason,
    'ticket ' || dropped_ticket_id || ' is not a synced Case (missing, excluded or quarantined): the record loads without its Case link' as detail
from {{ ref('int_custom_object_records_mapped') }}
where disposition <> 'quarantined' and dropped_ticket_id is not null

union all

select
    'custom_object.' || object_key || '.Contact__c' as object,
    record_id as stames_id,
    'dangling contact link dropped' as reason,
    'customer ' || customer_id || ' is not a synced Contact (missing, excluded or quarantined): the record loads without its Contact link' as detail
from {{ ref('int_custom_object_records_mapped') }}
where disposition <> 'quarantined' and customer_id is not null and contact_customer_id is null
