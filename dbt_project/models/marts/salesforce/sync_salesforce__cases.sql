-- depends_on: {{ ref('stg_mapping__value_maps') }}
{# One Case per synced ticket: the standard Case fields the mapping feeds (value maps applied),
   resolved parents and owner. The org-specific custom fields are in
   sync_salesforce__case_custom_fields (same Stames_Id__c). #}
with cases as (
    select * from {{ ref('int_cases_synced') }}
)

select
    cast(id as string) as Stames_Id__c,
    {{ cut_text("cast(" ~ mapped('Case.Subject', 'cases') ~ " as string)", salesforce_limit('Case.Subject')) }} as Subject,
    {{ cut_text("cast(" ~ mapped('Case.Description', 'cases') ~ " as string)", salesforce_limit('Case.Description')) }} as Description,
    cast({{ mapped('Case.Status', 'cases') }} as string) as Status,
    cast({{ mapped('Case.Priority', 'cases') }} as string) as Priority,
    cast({{ mapped('Case.Origin', 'cases') }} as string) as Origin,
    cast({{ mapped('Case.SuppliedName', 'cases') }} as string) as SuppliedName,
    cast(nullif(trim({{ fold_fullwidth(mapped('Case.SuppliedEmail', 'cases')) }}), '') as string) as SuppliedEmail,
    cast(owner_id as string) as OwnerId,
    cast(contact_customer_id as string) as ref__ContactId,
    cast(account_stames_id as string) as ref__AccountId,
    cast(parent_ticket_id as string) as ref__ParentId,
    cast({{ mapped('Case.CreatedDate', 'cases') }} as timestamp) as CreatedDate,
    cast({{ mapped('Case.LastModifiedDate', 'cases') }} as timestamp) as LastModifiedDate,
    cast(created_at_raw as string) as stames__created_at_raw,
    cast(owner_agent_id as bigint) as stames__assignee_id
from cases
