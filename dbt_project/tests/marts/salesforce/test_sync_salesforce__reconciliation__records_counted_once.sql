{# A record is synced, quarantined or excluded, never two of these: otherwise the balanced counts
   could hide a lost record behind a double-counted one. #}
with outcomes as (
    select 'customer' as object, "Stames_Id__c" as stames_id, 'synced' as outcome
    from {{ ref('sync_salesforce__contacts') }}
    union all
    select 'ticket', "Stames_Id__c", 'synced' from {{ ref('sync_salesforce__cases') }}
    union all
    select object, stames_id, 'quarantined' from {{ ref('sync_salesforce__quarantine') }}
    {% for area in ['int_excluded__customers', 'int_excluded__cases'] %}
    union all
    select object, stames_id, 'excluded' from {{ ref(area) }}
    {% endfor %}
)

select object, stames_id, string_agg(outcome, ', ') as outcomes
from outcomes
group by object, stames_id
having count(*) > 1
