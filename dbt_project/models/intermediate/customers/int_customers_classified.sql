{# Every customer once, with what happens to it: synced as a Contact, excluded (merged in Stames
   or a duplicate merged by the dedupe rule, both under the mapping's rule `merged`), or
   quarantined with a reason a person can act on. #}
with resolved as (
    select * from {{ ref('int_customers_deduplicated') }}
),

survivors as (
    select * from {{ ref('int_customers_survivors') }}
)

select
    resolved.customer_id,
    resolved.survivor_id,
    resolved.resolution,
    case when resolved.resolution in ('merged', 'duplicate') then 'merged' end as exclusion_rule,
    case
        when resolved.resolution = 'merge_cycle' then 'merge cycle'
        when resolved.resolution = 'survivor' and survivors.email is not null
             and not {{ salesforce_email_ok('survivors.email') }} then 'invalid email'
    end as quarantine_reason,
    case
        when resolved.resolution = 'merge_cycle'
            then 'its merged_into_id chain loops back (' || resolved.merge_hops
                 || ' hops); fix the merge in Stames or pick the survivor by hand'
        when resolved.resolution = 'survivor' and survivors.email is not null
             and not {{ salesforce_email_ok('survivors.email') }}
            then 'Salesforce would reject the email ''' || survivors.email
                 || '''; correct it in Stames or clear it'
    end as quarantine_detail
from resolved
left join survivors on survivors.customer_id = resolved.customer_id
