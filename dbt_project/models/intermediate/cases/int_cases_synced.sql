{# The tickets that become Cases, with their resolved parents: the Contact their customer ends
   up as (through merges and duplicates, when that Contact is synced), its Account, the parent
   Case of a merged ticket (when synced), and the owner from the agent map or the fallback. #}
with tickets as (
    select * from {{ ref('stg_stames__tickets') }}
),

classified as (
    select * from {{ ref('int_cases_classified') }}
    where exclusion_rule is null and quarantine_reason is null
),

contacts as (
    select * from {{ ref('int_customers_contacts') }}
),

customer_survivors as (
    select customer_id, survivor_id from {{ ref('int_customers_deduplicated') }}
)

select
    tickets.*,
    contacts.customer_id as contact_customer_id,
    contacts.account_stames_id,
    parents.ticket_id as parent_ticket_id,
    {{ mapped_source('Case.OwnerId', 'tickets') }} as owner_agent_id,
    coalesce(
        agents.user_id,
        (select value from {{ ref('stg_mapping__settings') }} where key = 'fallback_owner_id')
    ) as owner_id
from tickets
inner join classified on classified.ticket_id = tickets.id
left join customer_survivors on customer_survivors.customer_id = {{ mapped_source('Case.ContactId', 'tickets') }}
left join contacts on contacts.customer_id = customer_survivors.survivor_id
left join classified as parents on parents.ticket_id = {{ mapped_source('Case.ParentId', 'tickets') }}
left join {{ ref('int_agents_users') }} as agents on agents.agent_id = {{ mapped_source('Case.OwnerId', 'tickets') }}
