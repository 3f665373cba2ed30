with source as (select * from {{ source('raw_stames', 'agents__team_ids') }}),

renamed as (
    select
        -- ids
        _dlt_parent_id as agent_dlt_id,
        value as team_id,
        -- numerics
        _dlt_list_idx as position
    from source
)

select * from renamed
