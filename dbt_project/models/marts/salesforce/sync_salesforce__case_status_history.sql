{#- One record of the status-history custom object per status change of a migrated Case. -#}
select
    status_change_id::string as Stames_Id__c,
    ticket_id::string as ref__Case__c,
    from_status_mapped as From_Status__c,
    to_status_mapped as To_Status__c,
    changed_at as Changed_At__c,
    changed_by_type as Changed_By_Type__c,
    via as Via__c,
    changed_at as CreatedDate,
    {{ mapping_setting('status_history_object') }} as stames__sobject,
    history_position as stames__history_position,
    has_gap_before as stames__gap_before
from {{ ref('int_status_changes_sequenced') }}
where disposition = 'Stames_Status_Change__c'
