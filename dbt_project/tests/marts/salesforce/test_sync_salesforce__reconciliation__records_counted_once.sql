{# A record is synced, quarantined or excluded, never two of these: otherwise the balanced counts
   could hide a lost record behind a double-counted one. #}
with outcomes as (
    select 'customer' as object, Stames_Id__c as stames_id, 'synced' as outcome
    from {{ ref('sync_salesforce__contacts') }}
    union all
    select 'ticket', Stames_Id__c, 'synced' from {{ ref('sync_salesforce__cases') }}
    union all
    select 'message', Stames_Id__c, 'synced' from {{ ref('sync_salesforce__email_messages') }}
    union all
    select 'message', Stames_Id__c, 'synced' from {{ ref('sync_salesforce__tasks') }}
    union all
    select 'message', Stames_Id__c, 'synced' from {{ ref('sync_salesforce__case_comments') }}
    union all
    select 'status_change', Stames_Id__c, 'synced' from {{ ref('sync_salesforce__case_status_history') }}
    union all
    select object, stames_id, 'quarantined' from {{ ref('sync_salesforce__quarantine') }}
    {% for area in ['int_excluded__customers', 'int_excluded__cases', 'int_excluded__messages', 'int_excluded__files', 'int_excluded__history'] %}
    union all
    select object, stames_id, 'excluded' from {{ ref(area) }}
    {% endfor %}
)

select object, stames_id, {{ ordered_string_agg('outcome', "', '", 'outcome') }} as outcomes
from outcomes
group by object, stames_id
having count(*) > 1
